// The connection banner (ReconnectModal.razor). Blazor tells it what the circuit does; the browser's offline and online
// events tell it at once what the network does, well before a missed keep-alive would.
const banner = document.getElementById("components-reconnect-modal");
const states = ["components-reconnect-show", "components-reconnect-retrying", "components-reconnect-failed",
    "components-reconnect-paused", "components-reconnect-resume-failed"];
let circuitDown = false;

banner.addEventListener("components-reconnect-state-changed", event => {
    const state = event.detail.state;
    if (state === "show" || state === "retrying" || state === "failed" || state === "paused" || state === "resume-failed") {
        circuitDown = true;
        open();
        if (state === "failed") {
            document.addEventListener("visibilitychange", retryWhenVisible);
        }
    } else if (state === "hide") {
        circuitDown = false;
        banner.classList.remove("lp-offline", "lp-gone");
        if (navigator.onLine) {
            close();
        }
    } else if (state === "rejected") {
        // The server is there but no longer has this circuit: resume it from its persisted state, or say so honestly.
        resumeOrSayGone();
    }
});

window.addEventListener("offline", () => {
    banner.classList.add("lp-offline");
    open();
});

window.addEventListener("online", () => {
    banner.classList.remove("lp-offline");
    if (circuitDown || states.some(s => banner.classList.contains(s))) {
        // Back on the network: try at once instead of waiting for the next scheduled attempt.
        retry();
    } else {
        close();
    }
});

document.getElementById("components-reconnect-button").addEventListener("click", retry);
document.getElementById("components-resume-button").addEventListener("click", resume);
document.getElementById("connection-reload-button").addEventListener("click", () => location.reload());

function open() {
    if (!banner.open) {
        banner.showModal();
    }
}

function close() {
    if (banner.open) {
        banner.close();
    }
}

async function retry() {
    document.removeEventListener("visibilitychange", retryWhenVisible);
    try {
        // true: reconnected; false: the server answered but has no such circuit; an exception: not reachable yet.
        if (!await Blazor.reconnect()) {
            await resumeOrSayGone();
        }
    } catch {
        document.addEventListener("visibilitychange", retryWhenVisible);
    }
}

async function resume() {
    try {
        if (!await Blazor.resumeCircuit()) {
            sayGone();
        }
    } catch {
        banner.classList.replace("components-reconnect-paused", "components-reconnect-resume-failed");
    }
}

async function resumeOrSayGone() {
    try {
        if (await Blazor.resumeCircuit()) {
            circuitDown = false;
            close();
            return;
        }
    } catch {
        // Not resumable either.
    }
    sayGone();
}

function sayGone() {
    states.forEach(s => banner.classList.remove(s));
    banner.classList.remove("lp-offline");
    banner.classList.add("lp-gone");
    open();
    document.getElementById("connection-reload-button").focus();
}

async function retryWhenVisible() {
    if (document.visibilityState === "visible") {
        await retry();
    }
}
