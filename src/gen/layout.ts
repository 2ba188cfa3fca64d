// Where things live under the data directory (/data/dialogos); see docs/ARCHITECTURE.md.
import { joinPath } from './fs.js';

export interface StoreLayout {
  root: string;
  store: string;
  gens: string;
  staging: string;
  state: string;
  stateTmp: string;
  stateBak: string;
  stateBakTmp: string;
  lock: string;
  trust: string;
  genDir(id: string): string;
  manifest(id: string): string;
  signature(id: string): string;
  tree(id: string): string;
}

/** Paths of a store rooted at `root` (the directory standing for /data/dialogos). */
export function storeLayout(root: string): StoreLayout {
  const store = joinPath(root, 'store');
  const gens = joinPath(store, 'gens');
  return {
    root,
    store,
    gens,
    staging: joinPath(store, 'staging'),
    state: joinPath(store, 'state.json'),
    stateTmp: joinPath(store, 'state.json.tmp'),
    stateBak: joinPath(store, 'state.json.bak'),
    stateBakTmp: joinPath(store, 'state.json.bak.tmp'),
    lock: joinPath(store, 'lock'),
    trust: joinPath(root, 'keys', 'trust.json'),
    genDir: (id) => joinPath(gens, id),
    manifest: (id) => joinPath(gens, id, 'manifest.json'),
    signature: (id) => joinPath(gens, id, 'manifest.sig'),
    tree: (id) => joinPath(gens, id, 'tree'),
  };
}
