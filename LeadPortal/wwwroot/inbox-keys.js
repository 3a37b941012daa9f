// The reading pane's keys (issue 26), loaded by InboxReader as a module and disposed with it. j/k, the arrows,
// Enter, Esc and a go to .NET (InboxNavigation decides); s and o open the pane's status and owner lists here. Only at
// 1280 px and wider (the pane's width), never while typing, nor with a list, menu or dialog open. Runs in the
// capture phase, before app.js's keys, and stops what it handles, so app.js sees only the rest.
const typing = el => !!el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName)
    || !!el.closest("[role=dialog], .mud-popover-open"));
const popupOpen = () => !!document.querySelector(".mud-dialog-container, .mud-popover-open:not(.mud-tooltip)");
const paneKeys = ["j", "k", "ArrowDown", "ArrowUp", "Enter", "Escape", "a", "s", "o"];
const rows = () => [...document.querySelectorAll("#lead-grid tr.lead-row")];

const openList = selector => {
    const input = document.querySelector(selector + " input");
    if (!input) { return; }
    input.focus();
    for (const type of ["mousedown", "mouseup", "click"]) {
        input.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, view: window }));
    }
};

export function attach(component) {
    const wide = window.matchMedia("(min-width: 1280px)");
    let open = false;
    const onKey = e => {
        if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || !wide.matches) { return; }
        const active = document.activeElement;
        const row = active && active.matches && active.matches("#lead-grid tr.lead-row") ? active : null;
        if ((!row && typing(active)) || popupOpen()) { return; }
        if (open ? !paneKeys.includes(e.key) : e.key !== "Enter" || !row) { return; }
        // Enter on a link or a button (the pane's own, the pager's) is that control's.
        if (e.key === "Enter" && !row && active && active.closest && active.closest("a, button")) { return; }
        e.preventDefault();
        e.stopImmediatePropagation();
        if (e.key === "s" || e.key === "o") {
            openList(e.key === "s" ? "#reading-pane .grid-status" : "#reading-pane .grid-owner");
            return;
        }
        component.invokeMethodAsync("OnKey", e.key, row ? rows().indexOf(row) : -1);
    };
    const onWide = () => component.invokeMethodAsync("OnWide", wide.matches);
    document.addEventListener("keydown", onKey, true);
    wide.addEventListener("change", onWide);
    return {
        isWide: () => wide.matches,
        setOpen: value => { open = value; },
        // The pane's row gets the focus (one tab stop, as app.js keeps it), so the keys and a screen reader follow.
        focusRow: index => {
            const all = rows();
            const row = all[index];
            if (!row) { return; }
            for (const other of all) { other.setAttribute("tabindex", other === row ? "0" : "-1"); }
            row.focus({ preventScroll: true });
            row.scrollIntoView({ block: "nearest" });
        },
        dispose: () => {
            document.removeEventListener("keydown", onKey, true);
            wide.removeEventListener("change", onWide);
        },
    };
}
