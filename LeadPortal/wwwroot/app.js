// Small helpers the Blazor components call through JS interop.
window.leadPortal = {
    timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
    copyText: (text) => navigator.clipboard.writeText(text),
    isHidden: () => document.hidden,
    viewportWidth: () => window.innerWidth,
    // Calls the component's Seen() whenever the tab comes back into view; dispose() stops it.
    watchVisible: (component) => {
        const handler = () => { if (!document.hidden) { component.invokeMethodAsync("Seen"); } };
        document.addEventListener("visibilitychange", handler);
        return { dispose: () => document.removeEventListener("visibilitychange", handler) };
    },
    // The inbox's scroll position per view, so "back to the inbox" from a lead lands where the user was.
    restoreInboxScroll: () => {
        const y = Number(sessionStorage.getItem("inbox-scroll:" + location.pathname + location.search) || 0);
        if (y > 0) { requestAnimationFrame(() => window.scrollTo(0, y)); }
    },
};

(() => {
    let pending = false;
    window.addEventListener("scroll", () => {
        if (pending || !(location.pathname === "/" || location.pathname === "/leads")) { return; }
        pending = true;
        setTimeout(() => {
            pending = false;
            if (location.pathname === "/" || location.pathname === "/leads") {
                sessionStorage.setItem("inbox-scroll:" + location.pathname + location.search, String(window.scrollY));
            }
        }, 150);
    }, { passive: true });
})();

// "/" jumps to the inbox search (as in many web apps), unless the user is typing somewhere already.
document.addEventListener("keydown", e => {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) { return; }
    const active = document.activeElement;
    if (active && (active.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(active.tagName))) { return; }
    const search = [...document.querySelectorAll("#search, #search-phone")].find(el => el.offsetParent !== null);
    if (search) { e.preventDefault(); search.focus(); }
});
