// The FileSystem interface of src/gen/fs.ts, mirrored here (same shape, structurally identical) until
// that file is merged; then this file becomes `export type { … } from '../gen/index.js'`.

export type FileKind = 'file' | 'dir' | 'symlink' | 'other';

export interface FileStat {
  kind: FileKind;
  size: number;
  mode: number;
}

export interface WriteOptions {
  mode?: number;
  exclusive?: boolean;
}

export interface FileSystem {
  readFile(path: string): Promise<Uint8Array>;
  readChunks(path: string, chunkSize?: number): AsyncIterable<Uint8Array>;
  writeFile(path: string, data: Uint8Array | string, options?: WriteOptions): Promise<void>;
  appendFile(path: string, data: Uint8Array | string): Promise<void>;
  fsyncFile(path: string): Promise<void>;
  fsyncDir(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  mkdir(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<FileStat>;
  lstat(path: string): Promise<FileStat>;
  rm(path: string): Promise<void>;
  exists(path: string): Promise<boolean>;
  chmod(path: string, mode: number): Promise<void>;
  symlink(target: string, path: string): Promise<void>;
}
