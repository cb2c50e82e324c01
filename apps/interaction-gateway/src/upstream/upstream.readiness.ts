import { credentials, loadPackageDefinition, type Client, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath } from 'grpc-health-check';

interface HealthClient extends Client {
  Check(
    request: { service: string },
    options: { deadline: number },
    callback: (error: Error | null, response?: { status: string }) => void,
  ): void;
}

const healthPackage = loadPackageDefinition(loadSync(protoPath, { enums: String })) as unknown as {
  grpc: { health: { v1: { Health: ServiceClientConstructor } } };
};

/** Readiness of an internal gRPC service through the standard grpc.health.v1 protocol. */
export class UpstreamReadiness {
  private readonly client: HealthClient;

  constructor(
    readonly name: string,
    url: string,
  ) {
    this.client = new healthPackage.grpc.health.v1.Health(url, credentials.createInsecure()) as unknown as HealthClient;
  }

  check(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.client.Check({ service: '' }, { deadline: Date.now() + 1_500 }, (error, response) => {
        if (error) reject(new Error(error.message));
        else if (response?.status !== 'SERVING') reject(new Error(`status ${response?.status ?? 'unknown'}`));
        else resolve();
      });
    });
  }
}

export class DataServiceReadiness extends UpstreamReadiness {}
export class LedgerReadiness extends UpstreamReadiness {}
export class DecisionEngineReadiness extends UpstreamReadiness {}
