import { fileURLToPath } from 'node:url';
import { parseAllDocuments, type ScalarTag, type Tags } from 'yaml';
import { kustomize } from './kubectl.ts';

export const OVERLAYS = ['dev', 'prod'] as const;
export type Overlay = (typeof OVERLAYS)[number];

/** A rendered Kubernetes object, as far as every object has these. */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly [field: string]: unknown;
}

/**
 * Read plain scalars the way Kubernetes (Go's YAML) does: a number too large for an integer stays a
 * string. Kustomize prints a contract address such as 0x5FbD...0aa3 unquoted, and the API server reads
 * it as the string it is; a JavaScript YAML parser would make it a lossy float.
 */
function goLikeIntegers(tags: Tags): Tags {
  return tags.map((tag) => {
    if (typeof tag !== 'object' || tag.tag !== 'tag:yaml.org,2002:int' || !('resolve' in tag)) return tag;
    const integer = tag as ScalarTag;
    return {
      ...integer,
      resolve: (source: string, onError: (message: string) => void, options: object) => {
        const value: unknown = integer.resolve(source, onError, options);
        return typeof value === 'number' && !Number.isSafeInteger(value) ? source : value;
      },
    } as ScalarTag;
  });
}

export function renderOverlay(overlay: Overlay): KubernetesObject[] {
  const directory = fileURLToPath(new URL(`../overlays/${overlay}`, import.meta.url));
  return parseAllDocuments(kustomize(directory), { customTags: goLikeIntegers }).flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`${overlay}: ${document.errors.map((error) => error.message).join('; ')}`);
    const object = document.toJS() as KubernetesObject | null;
    return object === null ? [] : [object];
  });
}
