import { say } from './steps.ts';

/** `./traceport bench [name]`: no benchmark is defined yet; feature issues add them here. */
export async function benchCommand(_root: string, _args: string[]): Promise<number> {
  say('no benchmarks yet');
  return 0;
}
