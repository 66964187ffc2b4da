import { type IntegrationTaskKey, propertiesOf, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type { FilesUploadV2Arguments, WebClient } from "@slack/web-api";

/** What `files.uploadV2` resolves to: one `files.completeUploadExternal` response per upload group. */
export type FilesUploadV2Response = Awaited<ReturnType<WebClient["filesUploadV2"]>>;

/** The params as the task log records them: file bytes are summarised, not copied into the log. */
function loggableUpload(params: FilesUploadV2Arguments): Record<string, unknown> {
  const summarise = (value: unknown): unknown => {
    if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
    if (typeof value === "string") return value.length > 200 ? `<${value.length} characters>` : value;
    return value === undefined ? undefined : "<stream>";
  };
  const { file, content, ...rest } = params as unknown as Record<string, unknown>;
  return {
    ...rest,
    ...(file !== undefined && { file: summarise(file) }),
    ...(content !== undefined && { content: summarise(content) }),
  };
}

/** `io.slack.files`: uploads. Other `files.*` methods pass through. */
export class Files extends TaskNamespace<WebClient> {
  /**
   * Uploads a file (`file` or `content`) and optionally shares it to `channel_id`, the way the SDK
   * does: `files.getUploadURLExternal`, a POST of the bytes, then `files.completeUploadExternal`.
   * Declares no safe repeat: an upload is three calls, and a file has no field a task could mark and find again,
   * so a lost answer fails the task with `outcome_unknown` (check the channel for the file before re-running).
   * @see https://docs.slack.dev/tools/node-slack-sdk/web-api/#upload-a-file
   */
  uploadV2(
    key: IntegrationTaskKey,
    params: FilesUploadV2Arguments,
  ): Promise<TaskOutput<FilesUploadV2Response>> {
    return this.task(key, (client) => client.filesUploadV2(params), {
      name: "Upload File",
      params: loggableUpload(params),
      properties: propertiesOf(params, {
        Channel: "channel_id",
        Filename: "filename",
        Title: "title",
        Comment: "initial_comment",
      }),
    });
  }
}
