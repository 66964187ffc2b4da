/**
 * @module
 * `@autoflow/core/sqlite`: the SQLite task store over `node:sqlite`. A separate entry point, so importing
 * `@autoflow/core` never loads `node:sqlite`.
 */

export type { SqliteMigration } from "./runtime/sqlite-migrations";
export { runMigrations } from "./runtime/sqlite-migrations";
export { createPrivateSqliteFile, restrictSqliteSideFiles } from "./runtime/sqlite-private-file";
export type { SqliteTaskStoreOptions } from "./runtime/sqlite-task-store";
export { configureSqlite, SqliteTaskStore } from "./runtime/sqlite-task-store";
