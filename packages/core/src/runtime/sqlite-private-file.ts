import { chmodSync, closeSync, constants, fchmodSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";

// The database holds run payloads, task outputs and (in the service) vault ciphertexts: owner only.
const PRIVATE_DIRECTORY = 0o700;
const PRIVATE_FILE = 0o600;
// The files SQLite keeps beside the database; in WAL mode they hold recent rows not yet in the main file.
const SIDE_FILE_SUFFIXES = ["-wal", "-shm", "-journal"];

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code;

/**
 * Creates a SQLite database file owner-only before SQLite opens it: the folders it is missing 0700, the file
 * itself 0600 when new. An existing file is tightened to 0600 when this process owns it (a file from before
 * this rule was created world-readable); folders that already existed are left alone, since the file may live
 * in a shared one such as the project directory. Modes are set with chmod, so they do not depend on the umask.
 * An absolute `path`; `":memory:"` is left untouched.
 */
export function createPrivateSqliteFile(path: string): void {
  if (path === ":memory:") return;
  const directory = dirname(path);
  const firstCreated = mkdirSync(directory, { recursive: true, mode: PRIVATE_DIRECTORY });
  if (firstCreated !== undefined) {
    // `mkdirSync` returns the top-most folder it created; every folder from there down to ours is new.
    for (let folder = directory; ; folder = dirname(folder)) {
      chmodSync(folder, PRIVATE_DIRECTORY);
      if (folder === firstCreated || folder === dirname(folder)) break;
    }
  }
  // No O_TRUNC: an existing database keeps its rows. SQLite takes a new empty file as a new database.
  const fd = openSync(path, constants.O_RDWR | constants.O_CREAT, PRIVATE_FILE);
  try {
    fchmodSync(fd, PRIVATE_FILE);
  } catch (error) {
    // Someone else's file (a shared deployment): its owner decides its mode.
    if (errorCode(error) !== "EPERM") throw error;
  } finally {
    closeSync(fd);
  }
}

/**
 * Sets the `-wal`, `-shm` and `-journal` files of an open database to 0600. SQLite creates them with the
 * database file's mode, but ones left by an older version (or created before the file was tightened) keep theirs.
 */
export function restrictSqliteSideFiles(path: string): void {
  if (path === ":memory:") return;
  for (const suffix of SIDE_FILE_SUFFIXES) {
    try {
      chmodSync(`${path}${suffix}`, PRIVATE_FILE);
    } catch (error) {
      if (errorCode(error) !== "ENOENT" && errorCode(error) !== "EPERM") throw error;
    }
  }
}
