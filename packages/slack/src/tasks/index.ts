// The Slack task classes' public exports, re-exported by src/index.ts.
export { Auth } from "./auth";
export { Chat } from "./chat";
export { Conversations } from "./conversations";
export type { FilesUploadV2Response } from "./files";
export { Files } from "./files";
export { Reactions } from "./reactions";
export { Users } from "./users";
