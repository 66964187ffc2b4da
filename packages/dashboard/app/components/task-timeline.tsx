import { Fragment } from "preact";
import { durationBetween, formatDuration, safeHref } from "../lib/format";
import type { TaskView } from "../lib/types";
import { StatusBadge } from "./status-badge";
import { Time } from "./time";

/** Outputs longer than this many lines start collapsed. */
const COLLAPSE_LINES = 12;

/** Every task of a run, in order, nested under its parent. */
export function TaskTimeline({ tasks }: { tasks: readonly TaskView[] }) {
  const ids = new Set(tasks.map((t) => t.id));
  const tree = new Map<string | undefined, TaskView[]>();
  for (const task of tasks) {
    // A parent the view does not list (cut, or not started) puts the task at the top.
    const parent = task.parentId !== undefined && ids.has(task.parentId) ? task.parentId : undefined;
    const siblings = tree.get(parent) ?? [];
    siblings.push(task);
    tree.set(parent, siblings);
  }
  return <TaskList tasks={tree.get(undefined) ?? []} tree={tree} />;
}

function TaskList({ tasks, tree }: { tasks: TaskView[]; tree: Map<string | undefined, TaskView[]> }) {
  return (
    <ol class="timeline">
      {tasks.map((task) => (
        <TaskItem key={task.id} task={task} tree={tree} />
      ))}
    </ol>
  );
}

function TaskItem({ task, tree }: { task: TaskView; tree: Map<string | undefined, TaskView[]> }) {
  const duration = task.durationMs ?? durationBetween(task.startedAt, task.completedAt);
  const nested = tree.get(task.id);
  return (
    <li class={`task task-${task.status}`} data-task-id={task.id} data-status={task.status}>
      <div class="task-head">
        {task.icon && (
          <span class="icon-badge" title={task.icon}>
            {task.icon.slice(0, 12)}
          </span>
        )}
        <h3 class="task-name">{task.name}</h3>
        <StatusBadge status={task.status} />
        {task.reconciled && (
          <span
            class="marker"
            title="Its answer was lost; what the provider already had was used, nothing repeated"
          >
            reconciled
          </span>
        )}
        {task.fromLog && (
          <span
            class="marker"
            title="Completed before the run resumed: replayed from the task log, not run again"
          >
            from the log
          </span>
        )}
      </div>
      <dl class="facts task-facts">
        {task.properties?.map((property, index) => {
          const href = safeHref(property.url);
          return (
            <Fragment key={`${property.label}-${index}`}>
              <dt>{property.label}</dt>
              <dd>
                {href ? (
                  <a href={href} target="_blank" rel="noopener noreferrer">
                    {property.text}
                  </a>
                ) : (
                  property.text
                )}
              </dd>
            </Fragment>
          );
        })}
        <dt>Attempts</dt>
        <dd data-attempts={task.attempts}>{task.attempts}</dd>
        <dt>Started</dt>
        <dd>
          <Time iso={task.startedAt} />
        </dd>
        <dt>Duration</dt>
        <dd>{duration === undefined ? "—" : formatDuration(duration)}</dd>
        {task.retryAt && task.status === "waiting" && (
          <>
            <dt>Retrying at</dt>
            <dd>
              <Time iso={task.retryAt} />
            </dd>
          </>
        )}
      </dl>
      {task.attemptErrors && task.attemptErrors.length > 0 && (
        <ol class="attempts" aria-label={`Failed attempts of ${task.name}`}>
          {task.attemptErrors.map((failure) => (
            <li key={`${failure.attempt}-${failure.at}`} class="attempt" data-error-type={failure.type}>
              Attempt {failure.attempt}: <span class="error-type">{failure.type}</span> {failure.message}
              {failure.reason && <span class="muted"> ({failure.reason})</span>}
              {failure.code && <span class="muted"> [{failure.code}]</span>}
              {failure.retryAt && (
                <>
                  {" "}
                  — waited until <Time iso={failure.retryAt} />
                </>
              )}
            </li>
          ))}
        </ol>
      )}
      {task.error && (
        <p class="task-error">
          Failed: <span class="error-type">{task.error.type}</span> {task.error.message}
          {task.error.reason && <span class="muted"> ({task.error.reason})</span>}
        </p>
      )}
      {task.output !== undefined && <Output value={task.output} truncated={task.outputTruncated === true} />}
      {nested && nested.length > 0 && <TaskList tasks={nested} tree={tree} />}
    </li>
  );
}

/** A task's output as pretty-printed JSON, as the server sent it (redacted and cut values included). */
function Output({ value, truncated }: { value: unknown; truncated: boolean }) {
  const text = JSON.stringify(value, null, 2) ?? String(value);
  const lines = text.split("\n").length;
  return (
    <details class="output-details" open={lines <= COLLAPSE_LINES}>
      <summary>
        Output{lines > COLLAPSE_LINES ? ` (${lines} lines)` : ""}
        {truncated && " — truncated by the server"}
      </summary>
      <pre class="output">{text}</pre>
    </details>
  );
}
