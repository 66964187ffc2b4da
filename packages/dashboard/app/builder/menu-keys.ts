import type { RefObject } from "preact";

/**
 * The keyboard of a pop-up list (the add-step menu, the reference picker): Escape closes it, the arrow keys move
 * the focus through the panel's options (those `selector` matches), wrapping at either end.
 */
export function menuKeyHandler(panel: RefObject<HTMLElement>, selector: string, close: () => void) {
  return (event: KeyboardEvent) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const options = [...(panel.current?.querySelectorAll<HTMLElement>(selector) ?? [])];
    const at = options.indexOf(document.activeElement as HTMLElement);
    const next = options[(at + (event.key === "ArrowDown" ? 1 : options.length - 1)) % options.length];
    event.preventDefault();
    next?.focus();
  };
}
