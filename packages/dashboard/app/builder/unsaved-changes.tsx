/**
 * @module
 * Leaving the builder with unsaved edits asks first: the browser's own prompt for a reload or a closed tab
 * (`beforeunload`), and a dialog for the app's own navigations (a navigation guard, the router's).
 */
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { addNavigationGuard } from "../lib/router";

/** What the page shows while a navigation waits for the user: whether to ask, and the user's answer. */
export interface LeaveQuestion {
  asking: boolean;
  answer: (leave: boolean) => void;
}

/** While `dirty`, asks before the page is left; answers what the leave dialog needs. */
export function useUnsavedChangesGuard(dirty: boolean): LeaveQuestion {
  const [asking, setAsking] = useState(false);
  const pending = useRef<((leave: boolean) => void) | undefined>(undefined);

  const answer = (leave: boolean) => {
    pending.current?.(leave);
    pending.current = undefined;
    setAsking(false);
  };

  // Before paint, not after (a plain effect runs on the next frame, which a background tab may hold back): once
  // "Unsaved changes" shows, a reload or a link already asks.
  useLayoutEffect(() => {
    if (!dirty) return;
    // The browser shows its own prompt (its text cannot be set); calling preventDefault is what asks for it.
    const onBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", onBeforeUnload);
    const removeGuard = addNavigationGuard(
      () =>
        new Promise<boolean>((resolve) => {
          // A second navigation while the dialog is open replaces the first, which stays put.
          pending.current?.(false);
          pending.current = resolve;
          setAsking(true);
        }),
    );
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      removeGuard();
    };
  }, [dirty]);

  return { asking, answer };
}

/**
 * The question a navigation waits on, as a modal `<dialog>`: it keeps the focus inside, Escape stays, and closing it
 * gives the focus back to what had it (the link the user followed). "Stay" takes the focus: the choice that loses
 * nothing.
 */
export function LeaveDialog({ question }: { question: LeaveQuestion }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const stay = useRef<HTMLButtonElement>(null);

  // Before paint: the dialog is open, with the focus on "Stay", as soon as it shows.
  useLayoutEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (question.asking && !element.open) {
      element.showModal();
      stay.current?.focus();
    } else if (!question.asking && element.open) element.close();
  }, [question.asking]);

  return (
    <dialog
      ref={dialog}
      class="leave-dialog"
      aria-labelledby="leave-dialog-title"
      aria-describedby="leave-dialog-text"
      onCancel={(event) => {
        event.preventDefault();
        question.answer(false);
      }}
    >
      <h2 id="leave-dialog-title">Leave without saving?</h2>
      <p id="leave-dialog-text">This workflow has unsaved changes: leaving the page discards them.</p>
      <div class="actions">
        <button type="button" class="button" ref={stay} onClick={() => question.answer(false)}>
          Stay on this page
        </button>
        <button type="button" class="button button-danger" onClick={() => question.answer(true)}>
          Leave without saving
        </button>
      </div>
    </dialog>
  );
}
