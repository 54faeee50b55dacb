/**
 * Watches folder trees for changes to their files, with one `fs.watch` per folder.
 *
 * Not `fs.watch(…, { recursive: true })`: on Linux, Node.js watches each file of the tree by itself there, and loses a
 * file once it is replaced by a rename, which is how `sed -i` and many editors save (every later change to it goes
 * unseen). A folder's own watch reports every write, rename and removal of its entries, however they are made.
 * Folders created later are watched as they appear.
 */
import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';

export class FolderWatcher {
  private readonly watchers = new Map<string, FSWatcher>();

  /**
   * @param onChange called for every change to an entry `accepts` (by name, any folder down the tree)
   * @param accepts whether a name is watched: a file or folder that is not is ignored, and so is everything under it
   */
  public constructor(
    private readonly onChange: () => void,
    private readonly accepts: (name: string) => boolean,
  ) {}

  /** Watches `folder` and, when `deep`, every folder under it (now and later). */
  public add(folder: string, deep: boolean): void {
    if (this.watchers.has(folder)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(folder, (_event, name) => this.changed(folder, name, deep));
    } catch {
      return; // gone already, or never there
    }
    // The folder itself was removed (or cannot be watched any longer): its parent's watch reports that.
    watcher.on('error', () => this.remove(folder));
    this.watchers.set(folder, watcher);
    if (!deep) return;
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) if (entry.isDirectory() && this.accepts(entry.name)) this.add(path.join(folder, entry.name), true);
  }

  /** The folders watched now. */
  public get folders(): readonly string[] {
    return [...this.watchers.keys()];
  }

  public close(): void {
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private changed(folder: string, name: string | null, deep: boolean): void {
    if (name !== null && !this.accepts(name)) return;
    if (name !== null && deep) {
      const entry = path.join(folder, name);
      if (isFolder(entry)) this.add(entry, true);
      else if (this.watchers.has(entry)) this.remove(entry);
    }
    this.onChange();
  }

  private remove(folder: string): void {
    for (const [watched, watcher] of this.watchers) {
      if (watched === folder || watched.startsWith(`${folder}${path.sep}`)) {
        watcher.close();
        this.watchers.delete(watched);
      }
    }
  }
}

function isFolder(entry: string): boolean {
  try {
    return statSync(entry).isDirectory();
  } catch {
    return false;
  }
}
