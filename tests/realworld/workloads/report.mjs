// What every workload prints: one JSON line with its results, compared between the original
// module and the transformed ones.
import { createHash } from 'node:crypto';

export const digest = (bytes) => createHash('sha256').update(bytes).digest('hex');
export const report = (results) => process.stdout.write(`${JSON.stringify(results)}\n`);
