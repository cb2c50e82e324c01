import { credentials, loadPackageDefinition, type Client } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor/index.js';

// A generic gRPC client's first steps, as grpcurl takes them: server reflection (v1) says which
// services a server has and hands over their descriptors, without any local .proto file.

type ReflectionRequest = { list_services: string } | { file_containing_symbol: string } | { file_by_filename: string };
interface ReflectionResponse {
  list_services_response?: { service: { name: string }[] };
  file_descriptor_response?: { file_descriptor_proto: Buffer[] };
  error_response?: { error_code: number; error_message: string };
}

/** One server reflection (v1) conversation: a bidirectional stream, one answer per question. */
export class ReflectionSession {
  private readonly client: Client & { ServerReflectionInfo(): NodeJS.ReadWriteStream & { write(request: ReflectionRequest): boolean; end(): void } };
  private readonly stream: ReturnType<ReflectionSession['client']['ServerReflectionInfo']>;
  private readonly waiting: { resolve: (response: ReflectionResponse) => void; reject: (error: Error) => void }[] = [];

  constructor(address: string) {
    // Only the reflection protocol's own proto is local: it is how a generic client starts.
    const protoFile = new URL('../../node_modules/@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto', import.meta.url).pathname;
    const definition = loadPackageDefinition(loadSync(protoFile, { keepCase: true })) as unknown as {
      grpc: { reflection: { v1: { ServerReflection: new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => Client } } };
    };
    this.client = new definition.grpc.reflection.v1.ServerReflection(address, credentials.createInsecure()) as ReflectionSession['client'];
    this.stream = this.client.ServerReflectionInfo();
    this.stream.on('data', (response: ReflectionResponse) => this.waiting.shift()?.resolve(response));
    this.stream.on('error', (error: Error) => {
      for (const waiter of this.waiting.splice(0)) waiter.reject(error);
    });
  }

  ask(request: ReflectionRequest): Promise<ReflectionResponse> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.stream.write(request);
    });
  }

  async listServices(): Promise<string[]> {
    const response = await this.ask({ list_services: '*' });
    return (response.list_services_response?.service ?? []).map((service) => service.name).sort();
  }

  /** The file descriptors that define `symbols`, with every file they import, fetched by name as needed. */
  async descriptorsOf(symbols: readonly string[]): Promise<Map<string, Buffer>> {
    const files = new Map<string, Buffer>();
    const collect = (response: ReflectionResponse) => {
      if (response.error_response !== undefined) throw new Error(`reflection: ${response.error_response.error_message}`);
      for (const bytes of response.file_descriptor_response?.file_descriptor_proto ?? []) {
        files.set((descriptor.FileDescriptorProto.decode(bytes) as unknown as { name: string }).name, bytes);
      }
    };
    for (const symbol of symbols) collect(await this.ask({ file_containing_symbol: symbol }));
    for (let missing = this.missingImports(files); missing.length > 0; missing = this.missingImports(files)) {
      for (const name of missing) collect(await this.ask({ file_by_filename: name }));
    }
    return files;
  }

  private missingImports(files: Map<string, Buffer>): string[] {
    const imports = [...files.values()].flatMap((bytes) => (descriptor.FileDescriptorProto.decode(bytes) as unknown as { dependency: string[] }).dependency);
    return [...new Set(imports)].filter((name) => !files.has(name));
  }

  close(): void {
    this.stream.end();
    this.client.close();
  }
}

/** A FileDescriptorSet (field 1: repeated FileDescriptorProto) of the files as the server sent them. */
export function fileDescriptorSet(files: Iterable<Buffer>): Buffer {
  const writer = protobuf.Writer.create();
  for (const bytes of files) writer.uint32((1 << 3) | 2).bytes(bytes);
  return Buffer.from(writer.finish());
}
