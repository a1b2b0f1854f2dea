import { test } from 'node:test';
import { WORKLOADS, workloadTest } from './lib/harness.mjs';

test('canvaskit: the package\'s own workload gives the same results while its imports pause', workloadTest(WORKLOADS.canvaskit));
