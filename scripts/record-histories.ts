/**
 * Records the replay fixtures: runs the workflow tests against a real dev server with RECORD_HISTORIES set, so each
 * scenario (completed, declined, refunded, approved, rejected, auto-rejected, cancelled) writes its history as JSON
 * into test/fixtures/histories. Run after changing a workflow on purpose: `npx tsx scripts/record-histories.ts`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..');
const dir = path.join(root, 'test', 'fixtures', 'histories');
fs.mkdirSync(dir, { recursive: true });
const result = spawnSync(path.join(root, 'node_modules', '.bin', 'vitest'), ['run', 'test/workflows'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, RECORD_HISTORIES: dir },
});
if (result.status !== 0) {
  console.error('the workflow tests failed; no fixtures were accepted. Fix them first.');
  process.exit(result.status ?? 1);
}
console.log(`histories in ${path.relative(root, dir)}: ${fs.readdirSync(dir).join(', ')}`);
