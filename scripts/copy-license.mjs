// Runs as each package's prepack: npm and pnpm pack only what is inside the package's folder, and the
// repository's one LICENSE belongs in every tarball (the MIT licence asks for its notice to travel with copies).
import { copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

copyFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'LICENSE'), join(process.cwd(), 'LICENSE'));
