// Breaking-change protection for the published protos (package traceport.v1).
//
//   node libs/contracts/scripts/proto-lock.ts            checks the .proto files against the lock:
//                                                        exits 1, naming each break, if any change is incompatible
//   node libs/contracts/scripts/proto-lock.ts --update   publishes compatible additions: rewrites the lock
//                                                        (refused while anything breaks it)
//
// The lock (proto/traceport/v1.lock.json) is the published surface: every message, field, enum value,
// service and RPC that clients may depend on. Run --update deliberately, when additions are to be
// published; a break needs a new package (traceport.v2) instead. The unit spec
// src/proto-compatibility.spec.ts runs the same check in every test run.
//
// Runs under Node's type stripping: erasable syntax only, explicit .ts extensions.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findProtoBreaks, surfaceOfSources, type ProtoSurface } from '../src/proto-compatibility.ts';

const PACKAGE = 'traceport.v1';
const protoDir = path.resolve(import.meta.dirname, '..', 'proto', 'traceport', 'v1');
const lockPath = path.resolve(import.meta.dirname, '..', 'proto', 'traceport', 'v1.lock.json');

const COMMENT = 'The published surface of package traceport.v1, checked by libs/contracts/src/proto-compatibility.spec.ts. Written by `node libs/contracts/scripts/proto-lock.ts --update`; never edit by hand.';

function currentSurface(): ProtoSurface {
  const files = readdirSync(protoDir).filter((file) => file.endsWith('.proto')).sort();
  return surfaceOfSources(Object.fromEntries(files.map((file) => [`traceport/v1/${file}`, readFileSync(path.join(protoDir, file), 'utf8')])), PACKAGE);
}

function publishedSurface(): ProtoSurface | undefined {
  try {
    const { $comment: _comment, ...surface } = JSON.parse(readFileSync(lockPath, 'utf8')) as ProtoSurface & { $comment?: string };
    return surface;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

const update = process.argv.includes('--update');
const current = currentSurface();
const published = publishedSurface();
const breaks = published === undefined ? [] : findProtoBreaks(published, current);

if (breaks.length > 0) {
  console.error(`${breaks.length} incompatible change${breaks.length === 1 ? '' : 's'} to the published ${PACKAGE} protos:`);
  for (const found of breaks) console.error(`  ${found.kind}: ${found.message}`);
  console.error('Undo them, or publish the change under a new package version.');
  process.exitCode = 1;
} else if (update) {
  writeFileSync(lockPath, `${JSON.stringify({ $comment: COMMENT, ...current }, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), lockPath)}: ${Object.keys(current.services).length} services, ${Object.keys(current.messages).length} messages, ${Object.keys(current.enums).length} enums`);
} else if (published === undefined) {
  console.error(`no lock at ${lockPath}: run with --update to publish the current protos`);
  process.exitCode = 1;
} else {
  const unpublished = JSON.stringify(current) !== JSON.stringify(published);
  console.log(`the ${PACKAGE} protos are compatible with the lock${unpublished ? ' (with additions not yet in it: --update publishes them)' : ''}`);
}
