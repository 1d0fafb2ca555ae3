import {
  renderClusterRequest,
  RenderFormat,
} from '@clusterdeck/plugin-aws-clusters-render';
import { exampleRequests } from '@clusterdeck/test-utils';

const WARMUP = 200;
const ITERATIONS = 3000;

function percentile(sorted: number[], p: number): number {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

function measure(requests: unknown[], format: RenderFormat) {
  const run = (i: number) => {
    const result = renderClusterRequest(requests[i % requests.length], {
      format,
      baseDomain: 'bench.example.com',
    });
    if (!result.ok) {
      throw new Error(
        `example request did not render: ${JSON.stringify(result.problems)}`,
      );
    }
  };
  for (let i = 0; i < WARMUP; i++) run(i);
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const start = process.hrtime.bigint();
    run(i);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return {
    format,
    runs: ITERATIONS,
    medianMs: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
  };
}

/** `yarn bench render`: prints median and p99 of validate + render per format over the example requests. */
export function runRender() {
  const requests = exampleRequests().map(r => r.request);
  console.log(
    `validate + render, ${requests.length} example requests, ${ITERATIONS} runs per format (goal: median < 2 ms)`,
  );
  console.log('format       median ms   p99 ms');
  const results = (['capi', 'cluster-aws'] as RenderFormat[]).map(format =>
    measure(requests, format),
  );
  for (const r of results) {
    console.log(
      `${r.format.padEnd(12)} ${r.medianMs.toFixed(3).padStart(9)} ${r.p99Ms
        .toFixed(3)
        .padStart(8)}`,
    );
  }
  const worst = Math.max(...results.map(r => r.medianMs));
  console.log(worst < 2 ? 'goal met' : 'goal missed');
}
