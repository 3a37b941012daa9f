// Small helpers the Blazor components call through JS interop.
window.leadPortal = {
    timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
    copyText: (text) => navigator.clipboard.writeText(text),
};
