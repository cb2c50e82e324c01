import { credentials, loadPackageDefinition, Metadata, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { PROTO_FILES, PROTO_ROOT } from '@traceport/contracts';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { adminMetadata } from './gateway-client.js';

type Callback<T> = (error: ServiceError | null, response?: T) => void;
type UnaryMethod = (request: unknown, metadata: Metadata, callback: Callback<unknown>) => void;

const loaderOptions = { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true, includeDirs: [PROTO_ROOT] };

/** A plain @grpc/grpc-js client of the public traceport.v1 services, as an integrator would write it. */
export function traceportClients(address: string) {
  const definition = loadPackageDefinition(loadSync(PROTO_FILES.map((file) => `${PROTO_ROOT}${file}`), loaderOptions)) as unknown as {
    traceport: { v1: Record<string, new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => Client> } };
  const make = (name: string) => new definition.traceport.v1[name]!(address, credentials.createInsecure()) as unknown as Record<string, UnaryMethod> & Client;
  return { archive: make('ArchiveService'), ledger: make('LedgerService'), statistics: make('StatisticsService') };
}

export function healthClient(address: string) {
  const definition = loadPackageDefinition(loadSync(healthProtoPath, { enums: String })) as unknown as {
    grpc: { health: { v1: { Health: new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => Client } } };
  };
  return new definition.grpc.health.v1.Health(address, credentials.createInsecure()) as unknown as Record<string, UnaryMethod> & Client;
}

/** Calls a unary method (as the admin unless given other metadata) and resolves with its response or rejects with the ServiceError. */
export function unary<T>(client: Record<string, UnaryMethod>, method: string, request: unknown, metadata: Metadata = adminMetadata()): Promise<T> {
  return new Promise((resolve, reject) => {
    client[method]!(request, metadata, (error, response) => (error ? reject(error) : resolve(response as T)));
  });
}

/** Lists the services a server exposes through gRPC server reflection (v1), as grpcurl would. */
export function listServicesByReflection(address: string): Promise<string[]> {
  const protoFile = new URL('../../node_modules/@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto', import.meta.url).pathname;
  const definition = loadPackageDefinition(loadSync(protoFile, { keepCase: true })) as unknown as {
    grpc: { reflection: { v1: { ServerReflection: new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => Client } } };
  };
  const client = new definition.grpc.reflection.v1.ServerReflection(address, credentials.createInsecure()) as unknown as Client & {
    ServerReflectionInfo(): NodeJS.ReadWriteStream & { write(message: unknown): boolean; end(): void };
  };
  return new Promise((resolve, reject) => {
    const stream = client.ServerReflectionInfo();
    stream.on('data', (response: { list_services_response?: { service: { name: string }[] } }) => {
      resolve(response.list_services_response?.service.map((service) => service.name) ?? []);
      stream.end();
      client.close();
    });
    stream.on('error', reject);
    stream.write({ list_services: '' });
  });
}
