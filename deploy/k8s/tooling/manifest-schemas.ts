/**
 * Validates rendered objects against the schema of their apiVersion and kind:
 * - Kubernetes' own APIs against the OpenAPI schema of Kubernetes v1.33.0, as kubernetes-models 4.5.x
 *   (npm) compiled it into validators; that package also keeps API versions later releases removed,
 *   so the served group-versions of 1.33 are checked here too;
 * - Strimzi (CRDs of 0.49.0 and 1.0.0), KEDA, CloudNativePG and prometheus-operator against their CRD
 *   schemas, compiled likewise by the @kubernetes-models packages.
 * An object of any other apiVersion has no schema here and fails: nothing is skipped silently.
 */
export const TARGET_KUBERNETES_VERSION = '1.33';

/** Built-in group-versions the manifests may use: stable and served by Kubernetes 1.33. */
const SERVED_IN_1_33 = new Set(['v1', 'apps/v1', 'autoscaling/v2', 'policy/v1', 'networking.k8s.io/v1', 'batch/v1', 'rbac.authorization.k8s.io/v1']);

const CRD_PACKAGES: Record<string, string> = {
  'kafka.strimzi.io': '@kubernetes-models/strimzi-kafka-operator',
  'keda.sh': '@kubernetes-models/keda',
  'postgresql.cnpg.io': '@kubernetes-models/cloudnative-pg',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
};

interface Model {
  validate(): void;
}
type ModelClass = new (data: object) => Model;

function modulePathOf(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group === '' || !group!.includes('.') || group!.endsWith('.k8s.io')) {
    if (!SERVED_IN_1_33.has(apiVersion)) throw new Error(`${apiVersion} is not a stable API served by Kubernetes ${TARGET_KUBERNETES_VERSION}`);
    return group === '' ? `kubernetes-models/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
  }
  const crdPackage = CRD_PACKAGES[group!];
  if (crdPackage === undefined) throw new Error(`no schema for ${apiVersion} (${kind})`);
  return `${crdPackage}/${group}/${version}/${kind}`;
}

/** The schema violations of one object; empty when it is valid. */
export async function schemaErrors(object: { apiVersion: string; kind: string }): Promise<string[]> {
  let model: ModelClass;
  try {
    const module = (await import(modulePathOf(object.apiVersion, object.kind))) as Record<string, ModelClass>;
    model = module[object.kind]!;
    if (model === undefined) return [`no model ${object.kind} in ${object.apiVersion}`];
  } catch (error) {
    return [(error as Error).message];
  }
  try {
    new model(object).validate();
    return [];
  } catch (error) {
    const details = (error as { errors?: { instancePath: string; message?: string }[] }).errors;
    return details?.map((detail) => `${detail.instancePath || '/'} ${detail.message ?? 'is invalid'}`) ?? [(error as Error).message];
  }
}
