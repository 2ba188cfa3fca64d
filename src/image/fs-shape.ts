// The store's FileSystem interface, which DebugfsFileSystem implements so the Store runs against an image.
export type { FileKind, FileStat, WriteOptions, FileSystem } from '../gen/index.js';
