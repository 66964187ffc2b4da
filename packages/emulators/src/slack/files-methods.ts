import type { EmulatorRequest, EmulatorResponse } from "../shared/types";
import { botFields, SlackApiError, type SlackCall, type SlackMethod, writableChannel } from "./slack-call";
import { type SlackFile, type SlackWorkspace, TEAM } from "./slack-workspace";

const MIME_TYPES: Record<string, string> = {
  txt: "text/plain",
  csv: "text/csv",
  json: "application/json",
  png: "image/png",
  jpg: "image/jpeg",
  pdf: "application/pdf",
};

function getUploadURLExternal(call: SlackCall): Record<string, unknown> {
  const filename = call.args.required("filename");
  const length = call.args.number("length");
  if (length === undefined || length < 0) throw new SlackApiError("invalid_arguments", { arg: "length" });
  const id = call.workspace.nextId("F");
  const extension = filename.includes(".") ? (filename.split(".").pop()?.toLowerCase() ?? "") : "";
  const file: SlackFile = {
    id,
    name: filename,
    title: filename,
    user: call.actor,
    created: call.workspace.nowSeconds(),
    size: length,
    mimetype: MIME_TYPES[extension] ?? "application/octet-stream",
    filetype: extension || "binary",
    url_private: `https://files.slack.com/files-pri/${TEAM.id}-${id}/${encodeURIComponent(filename)}`,
    permalink: `https://${TEAM.domain}.slack.com/files/${call.actor}/${id}/${encodeURIComponent(filename)}`,
    channels: [],
  };
  call.workspace.files.set(id, file);
  return { upload_url: `${call.baseUrl}/upload/v1/${id}`, file_id: id };
}

function completeUploadExternal(call: SlackCall): Record<string, unknown> {
  const entries = call.args.json<{ id?: string; title?: string }[]>("files");
  if (!Array.isArray(entries) || entries.length === 0) throw new SlackApiError("invalid_arguments");
  const files = entries.map((entry) => {
    const file = entry.id ? call.workspace.files.get(entry.id) : undefined;
    if (!file) throw new SlackApiError("file_not_found");
    if (!file.content) throw new SlackApiError("file_upload_not_complete");
    return { file, title: entry.title };
  });
  const channelParam = ["channel_id", "channels"].find((name) => call.args.string(name));
  const channel = channelParam ? writableChannel(call, channelParam) : undefined;
  for (const { file, title } of files) {
    if (title) file.title = title;
    if (channel && !file.channels.includes(channel.id)) file.channels.push(channel.id);
  }
  if (channel) {
    const threadTs = call.args.string("thread_ts");
    const bot = botFields(call);
    call.workspace.messagesIn(channel.id).push({
      type: "message",
      ts: call.workspace.nextTs(),
      user: call.actor,
      team: TEAM.id,
      text: call.args.string("initial_comment") ?? "",
      files: files.map(({ file }) => publicFile(file)),
      bot_id: bot.bot_id,
      app_id: bot.app_id,
      ...(threadTs && call.workspace.findMessage(channel.id, threadTs) && { thread_ts: threadTs }),
    });
  }
  return { files: files.map(({ file }) => publicFile(file)) };
}

/** A file that finished uploading; `file_deleted` or `file_not_found` otherwise, as Slack answers. */
function uploadedFile(call: SlackCall): SlackFile {
  const id = call.args.required("file", "file_not_found");
  if (call.workspace.deletedFiles.has(id)) throw new SlackApiError("file_deleted");
  const file = call.workspace.files.get(id);
  if (!file?.content) throw new SlackApiError("file_not_found");
  return file;
}

function info(call: SlackCall): Record<string, unknown> {
  const file = uploadedFile(call);
  return { file: publicFile(file), comments: [], response_metadata: { next_cursor: "" } };
}

/** Deletes a file the caller uploaded; messages that shared it lose it, as in the Slack client. */
function remove(call: SlackCall): Record<string, unknown> {
  const file = uploadedFile(call);
  if (file.user !== call.actor) throw new SlackApiError("cant_delete_file");
  call.workspace.files.delete(file.id);
  call.workspace.deletedFiles.add(file.id);
  for (const channel of file.channels) {
    for (const message of call.workspace.messagesIn(channel)) {
      if (!message.files?.some((f) => f.id === file.id)) continue;
      const kept = message.files.filter((f) => f.id !== file.id);
      if (kept.length > 0) message.files = kept;
      else delete message.files;
    }
  }
  return {};
}

/** A file as the Web API shows it: everything but its bytes. */
export function publicFile(file: SlackFile): Omit<SlackFile, "content"> & Record<string, unknown> {
  const { content: _content, ...fields } = file;
  return {
    ...fields,
    timestamp: file.created,
    pretty_type: file.filetype.toUpperCase(),
    mode: "hosted",
    is_external: false,
    is_public: file.channels.length > 0,
    url_private_download: file.url_private.replace("/files-pri/", "/files-pri/download/"),
  };
}

/**
 * The upload URL `files.getUploadURLExternal` hands out: takes the bytes as a raw body or as the
 * multipart form `files.uploadV2` sends, and answers like files.slack.com (`OK - <bytes>`).
 */
export async function receiveUpload(
  workspace: SlackWorkspace,
  request: EmulatorRequest,
): Promise<EmulatorResponse> {
  const file = workspace.files.get(request.params.fileId ?? "");
  if (!file) return { status: 404, body: "Not Found", headers: { "content-type": "text/plain" } };
  let content = request.rawBody;
  const contentType = request.headers["content-type"] ?? "";
  if (contentType.startsWith("multipart/form-data")) {
    const form = await new Response(new Uint8Array(request.rawBody), {
      headers: { "content-type": contentType },
    }).formData();
    const part = [...form.values()].find((value): value is File => typeof value !== "string");
    if (part) content = Buffer.from(await part.arrayBuffer());
  }
  file.content = content;
  file.size = content.length;
  return { status: 200, body: `OK - ${content.length}`, headers: { "content-type": "text/plain" } };
}

/** The `files.*` methods `files.uploadV2` is built on, `files.info` and `files.delete`. */
export const filesMethods: Record<string, SlackMethod> = {
  "files.getUploadURLExternal": getUploadURLExternal,
  "files.completeUploadExternal": completeUploadExternal,
  "files.info": info,
  "files.delete": remove,
};
