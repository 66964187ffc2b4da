const marker = Symbol.for("autoflow.error.TaskKeyError");

/** A job used the same task key twice in one run (or under one parent): replay could not tell the two apart. */
export class DuplicateTaskKeyError extends Error {
  override readonly name = "DuplicateTaskKeyError";
  readonly taskId: string;

  constructor(taskId: string) {
    super(
      `Task key "${taskId}" was used twice in this run. Task keys must be unique per run and parent task.`,
    );
    this.taskId = taskId;
    Object.defineProperty(this, marker, { value: true });
  }

  static isInstance(error: unknown): error is DuplicateTaskKeyError {
    return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
