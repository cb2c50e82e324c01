export const ACCESS_OPTIONS = Symbol('ACCESS_OPTIONS');

export interface AccessOptions {
  readonly bootstrapAdminKey: string | undefined;
  readonly cacheTtlMs: number;
}
