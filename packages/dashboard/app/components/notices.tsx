/** An error from the API, announced: `role="alert"`; nothing when there is none. */
export function ErrorAlert({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <div class="notice notice-error" role="alert">
      {message}
    </div>
  );
}

/** A polite live region that is always present, so what appears in it is announced. */
export function StatusNotice({ message }: { message: string | undefined }) {
  return (
    <div class={message ? "notice notice-ok" : "notice-empty"} role="status">
      {message ?? ""}
    </div>
  );
}
