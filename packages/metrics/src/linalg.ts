import { Float64Linalg } from '@dgm/kernels';

let loading: Promise<Float64Linalg> | undefined;

/** The float64 linear algebra module (WebAssembly, threads in Node), loaded once on first use. */
export function linalg(): Promise<Float64Linalg> {
  loading ??= Float64Linalg.load();
  return loading;
}
