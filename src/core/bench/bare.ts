// The reference server of bench/core: bare node:http in its own process on a unix socket, made with the
// same server options as dialogosd's API (src/core/api/server.ts) and answering a fixed byte string with
// the same headers. It does less than dialogosd (no routing, validation or status to build): it is the floor.
import { spawn, type ChildProcess } from 'node:child_process';

const SCRIPT = `const http=require('node:http');const fs=require('node:fs');const body=fs.readFileSync(process.argv[1]);
http.createServer({requestTimeout:60000,headersTimeout:20000},(q,s)=>{q.resume();
s.writeHead(200,{'content-type':'application/json','content-length':body.length});s.end(body)})
.listen(process.argv[2],()=>console.log('up'))`;

export class BareServerError extends Error {
  override name = 'BareServerError';
}

/** Starts one bare server answering the bytes of `payloadFile` on `socketPath`; resolves once it listens. */
export function startBare(payloadFile: string, socketPath: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', SCRIPT, payloadFile, socketPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new BareServerError(`Cannot start the bare server on "${socketPath}": it exited with ${code}`)));
    child.stdout!.once('data', () => resolve(child));
  });
}
