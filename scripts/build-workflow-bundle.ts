/** `npm run build:workflows [-- OUT]`: writes the workflow bundle for WORKFLOW_BUNDLE (default dist/workflow-bundle.js). */
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflows } from '../worker/bundle';

async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'dist', 'workflow-bundle.js'));
  const { code } = await bundleWorkflows('ERROR');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, code);
  console.log(`${out} (${Math.round(code.length / 1024)} KiB)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
