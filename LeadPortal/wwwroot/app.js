// Small helpers the Blazor components call through JS interop.
window.leadPortal = {
    timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
    copyText: (text) => navigator.clipboard.writeText(text),
    isHidden: () => document.hidden,
    viewportWidth: () => window.innerWidth,
    // The layout calls this once its first interactive render is on the page (prerendered HTML has no handlers yet).
    circuitUp: () => document.documentElement.setAttribute("data-circuit", "up"),
    // The theme the user picked on this browser ("light" or "dark"); "" follows the system's prefers-color-scheme.
    theme: () => { try { return localStorage.getItem("leadPortal.theme") || ""; } catch { return ""; } },
    setTheme: (theme) => { try { if (theme) { localStorage.setItem("leadPortal.theme", theme); } else { localStorage.removeItem("leadPortal.theme"); } } catch { } },
    // Column widths by dragging a header cell's right edge (a double-click resets it): the cell follows the pointer, and
    // the width let go at is reported to the component's ColumnResized(column, px), 0 meaning "the layout's own".
    resizableColumns: (gridId, component, min, max) => {
        const edge = 6;
        const cellAt = e => {
            const th = e.target.closest && e.target.closest(`#${gridId} thead th`);
            if (!th) { return null; }
            const key = [...th.classList].find(c => c.startsWith("col-"))?.slice(4);
            if (!key || key === "select") { return null; }
            const rect = th.getBoundingClientRect();
            return rect.right - e.clientX <= edge && rect.right - e.clientX >= -2 ? { th, key } : null;
        };
        let drag = null;
        const hover = on => document.documentElement.classList.toggle("col-resize-hover", on);
        const move = e => {
            if (drag) {
                const width = Math.max(min, Math.min(max, drag.width + e.clientX - drag.x));
                drag.th.style.width = `${width}px`;
                // The table grows (and scrolls) by as much as the column, instead of squeezing the others.
                if (drag.table) { drag.table.style.minWidth = `${drag.tableWidth + width - drag.width}px`; }
                drag.last = width;
                return;
            }
            hover(!!cellAt(e));
        };
        const down = e => {
            const hit = e.button === 0 && cellAt(e);
            if (!hit) { return; }
            e.preventDefault();
            e.stopPropagation();
            const table = hit.th.closest("table");
            drag = { ...hit, table, tableWidth: table ? table.getBoundingClientRect().width : 0, x: e.clientX, width: hit.th.getBoundingClientRect().width, last: null };
            // Held by the cell until let go, even outside the window, so a drag never stays stuck.
            try { hit.th.setPointerCapture(e.pointerId); } catch { }
            hover(true);
        };
        const up = e => {
            if (!drag) { return; }
            const { key, last, table } = drag;
            drag = null;
            hover(!!cellAt(e));
            // The click that ends a drag (dispatched right after this, in the same task) must not sort the column; a drag
            // that ends where no click follows must not eat the user's next one, so the guard goes after this task.
            const swallow = ev => { ev.stopPropagation(); ev.preventDefault(); };
            document.addEventListener("click", swallow, { capture: true, once: true });
            setTimeout(() => document.removeEventListener("click", swallow, { capture: true }), 0);
            // Once the view has the width, the page's own styles size the table again.
            const release = () => { if (table) { table.style.minWidth = ""; } };
            if (last !== null) { component.invokeMethodAsync("ColumnResized", key, Math.round(last)).then(release, release); } else { release(); }
        };
        const dblclick = e => {
            const hit = cellAt(e);
            if (!hit) { return; }
            e.preventDefault();
            e.stopPropagation();
            component.invokeMethodAsync("ColumnResized", hit.key, 0);
        };
        document.addEventListener("pointermove", move);
        document.addEventListener("pointerdown", down, { capture: true });
        document.addEventListener("pointerup", up);
        document.addEventListener("pointercancel", up);
        document.addEventListener("dblclick", dblclick, { capture: true });
        return {
            dispose: () => {
                document.removeEventListener("pointermove", move);
                document.removeEventListener("pointerdown", down, { capture: true });
                document.removeEventListener("pointerup", up);
                document.removeEventListener("pointercancel", up);
                document.removeEventListener("dblclick", dblclick, { capture: true });
                hover(false);
            },
        };
    },
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

// A grid's sort buttons all say "Sort": each is named after its column ("Sort by Received"), for screen readers and
// the tooltip. The header cell's aria-sort says the current direction.
new MutationObserver(() => {
    // Checked every time (not marked done): Blazor may reuse a header's button for another column when one is hidden.
    for (const button of document.querySelectorAll("th .column-header .sort-direction-icon")) {
        const title = button.closest("th")?.querySelector(".sortable-column-header")?.textContent.trim();
        const name = title ? `Sort by ${title}` : "Sort";
        if (button.getAttribute("aria-label") !== name) {
            button.setAttribute("aria-label", name);
            button.setAttribute("title", name);
        }
    }
}).observe(document.documentElement, { childList: true, subtree: true });

// "/" jumps to the inbox search (as in many web apps), unless the user is typing somewhere already.
document.addEventListener("keydown", e => {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) { return; }
    const active = document.activeElement;
    if (active && (active.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(active.tagName))) { return; }
    const search = [...document.querySelectorAll("#search, #search-phone")].find(el => el.offsetParent !== null);
    if (search) { e.preventDefault(); search.focus(); }
});

// Keyboard work in the inbox. Rows are one tab stop (a roving tabindex): Tab reaches the grid, arrows or j/k move
// between leads, Enter or o opens one, x or Space selects it. u goes back to the inbox from a lead, ? lists the keys.
(() => {
    const typing = el => el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName) || el.closest("[role=dialog], .mud-popover-open"));
    const rows = () => [...document.querySelectorAll("#lead-grid tr.lead-row")];
    const prepare = () => {
        const all = rows();
        if (all.length === 0) { return; }
        let current = all.find(r => r.getAttribute("tabindex") === "0");
        for (const row of all) {
            if (!row.hasAttribute("tabindex")) { row.setAttribute("tabindex", "-1"); }
            if (!row.hasAttribute("aria-label")) {
                const name = row.querySelector(".lead-name");
                if (name) { row.setAttribute("aria-label", name.textContent.trim()); }
            }
        }
        if (!current) { all[0].setAttribute("tabindex", "0"); }
    };
    const focusRow = row => {
        if (!row) { return; }
        for (const other of rows()) { other.setAttribute("tabindex", other === row ? "0" : "-1"); }
        row.focus();
        row.scrollIntoView({ block: "nearest" });
    };
    new MutationObserver(() => prepare()).observe(document.documentElement, { childList: true, subtree: true });
    document.addEventListener("focusin", e => {
        const row = e.target.closest && e.target.closest("#lead-grid tr.lead-row");
        if (row && e.target === row) { for (const other of rows()) { other.setAttribute("tabindex", other === row ? "0" : "-1"); } }
    });
    const click = selector => { const el = [...document.querySelectorAll(selector)].find(x => x.offsetParent !== null); if (el) { el.click(); return true; } return false; };
    document.addEventListener("keydown", e => {
        if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) { return; }
        const active = document.activeElement;
        const row = active && active.matches && active.matches("#lead-grid tr.lead-row") ? active : null;
        if (!row && typing(active)) { return; }
        const all = rows();
        const index = row ? all.indexOf(row) : -1;
        switch (e.key) {
            case "ArrowDown": case "j":
                if (!row && e.key === "ArrowDown") { return; }
                e.preventDefault();
                focusRow(row ? all[Math.min(index + 1, all.length - 1)] : all.find(r => r.getAttribute("tabindex") === "0") || all[0]);
                return;
            case "ArrowUp": case "k":
                if (!row && e.key === "ArrowUp") { return; }
                e.preventDefault();
                focusRow(row ? all[Math.max(index - 1, 0)] : all.find(r => r.getAttribute("tabindex") === "0") || all[0]);
                return;
            case "Home": case "End":
                if (!row) { return; }
                e.preventDefault();
                focusRow(e.key === "Home" ? all[0] : all[all.length - 1]);
                return;
            case "Enter": case "o":
                if (!row) { return; }
                e.preventDefault();
                row.querySelector(".lead-name")?.click();
                return;
            case "x": case " ":
                if (!row) { return; }
                e.preventDefault();
                row.querySelector("td.col-select input[type=checkbox]")?.click();
                return;
            case "u":
                if (click("#back-to-inbox")) { e.preventDefault(); }
                return;
            case "?":
                if (click("#shortcuts")) { e.preventDefault(); }
                return;
        }
    });
})();

// Keeps Tab inside the topmost open dialog, in the browser. MudBlazor's focus trap turns back at a sentinel element by
// a round trip to the server: on a slow circuit a second Tab goes past the sentinel before the answer comes, out to
// the page behind the scrim, where Esc no longer reaches the dialog. A list opened from the dialog (its popover lives
// outside it) keeps its own keys.
document.addEventListener("keydown", e => {
    if (e.key !== "Tab" || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) { return; }
    const dialogs = document.querySelectorAll(".mud-dialog-container .mud-dialog");
    if (dialogs.length === 0) { return; }
    const dialog = dialogs[dialogs.length - 1];
    const active = document.activeElement;
    if (active && active !== document.body && !dialog.contains(active) && active.closest(".mud-popover")) { return; }
    const focusable = [...dialog.querySelectorAll("a[href], button, input, select, textarea, [tabindex]")]
        .filter(el => !el.disabled && el.tabIndex >= 0 && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden");
    if (focusable.length === 0) { return; }
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    let target = null;
    if (!active || !dialog.contains(active)) { target = e.shiftKey ? last : first; }
    else if (!e.shiftKey && active === last) { target = first; }
    else if (e.shiftKey && active === first) { target = last; }
    if (target) {
        e.preventDefault();
        target.focus();
    }
}, true);
