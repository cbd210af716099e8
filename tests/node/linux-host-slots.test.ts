// A build per slot on the Linux host: otau-host run told where its slots run
// (`--setting slot-address-a=… --setting slot-address-b=…`, hexadecimal) takes slot B's build
// from a config_otau's `slots` table and installs it, and refuses slot A's build published
// alone at its header, over the Murano emulator on loopback; both runtimes. The builds are
// made by MCUboot's imgtool with --rom-fixed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MuranoEmulator } from '../../firmware-sim/murano/murano-emulator.ts';
import { ContentServer } from '../../firmware-sim/network/content-server.ts';
import { AGENT_PATH, OTAU_HOST, OTAU_HOST_AOT, hostExit, readSlot, startHost } from './support/otau-host.ts';
import { imgtoolSign } from './support/imgtool.ts';

const OLD = '1.0.0';
const NEW = '1.1.0';
const RUN_LIMIT_MS = 20_000;
const body = randomBytes(24 * 1024);
const builds = {
  A: imgtoolSign(body, { version: NEW, romFixed: 0x21040000 }),
  B: imgtoolSign(body, { version: NEW, romFixed: 0x21080000 }),
};

const entry = (build: Buffer, url: string) => ({ payload: url, sha256: createHash('sha256').update(build).digest('hex'), size: build.length });

for (const [runtime, hostPath] of [['wasm3', OTAU_HOST], ['aot', OTAU_HOST_AOT]] as const) {
  describe(`otau-host (${runtime}) run with its slots' addresses`, () => {
    const murano = new MuranoEmulator();
    const content = new ContentServer();
    let muranoUrl = '';
    let dir = '';
    const urls = { A: '', B: '' };

    before(async () => {
      ({ http: muranoUrl } = await murano.start());
      await content.start();
      dir = mkdtempSync(join(tmpdir(), `linux-host-slots-${runtime}-`));
      for (const slot of ['A', 'B'] as const) {
        content.serveBytes(`/fw-${NEW}-${slot}.bin`, builds[slot]);
        urls[slot] = content.url(`/fw-${NEW}-${slot}.bin`);
      }
    });
    after(async () => {
      await Promise.all([murano.stop(), content.stop()]);
      rmSync(dir, { recursive: true, force: true });
    });

    function device(identity: string, config: Record<string, unknown>): string[] {
      murano.product.addIdentity(identity);
      murano.product.cloudWrite(identity, 'config_otau', JSON.stringify({ version: NEW, name: 'fw', type: 'FILE', ...config }));
      return ['run', '--agent', AGENT_PATH, '--flash', join(dir, `${identity}.img`), '--firmware-version', OLD,
        '--confirm-after-ms', '200', '--exit-when-installed', NEW, '--murano', muranoUrl, '--identity', identity,
        '--setting', 'slot-address-a=0x21040000', '--setting', 'slot-address-b=0x21080000'];
    }

    it("takes slot B's build from the slots table and installs it", async () => {
      const args = device('gw-per-slot', { ...entry(builds.B, urls.B), slots: { A: entry(builds.A, urls.A), B: entry(builds.B, urls.B) } });
      const host = startHost(args, [], hostPath);
      assert.deepEqual(await hostExit(host, RUN_LIMIT_MS), { code: 0, signal: null }, host.output());
      const history = murano.product.statusHistory('gw-per-slot').map((e) => e.document!);
      assert.ok(history.some((d) => d.message === 'the config gives a build per slot; this device writes slot B and takes its build'), JSON.stringify(history));
      assert.ok(history.some((d) => d.message === 'MCUboot image linked to run from 0x21080000, where slot B runs'), JSON.stringify(history));
      assert.ok(readSlot(args[args.indexOf('--flash') + 1], 'B', builds.B.length).equals(builds.B), "slot B holds slot B's build");
    });

    it("refuses slot A's build published alone at its header, naming both addresses, and never installs", async () => {
      const host = startHost(device('gw-wrong-build', entry(builds.A, urls.A)), [], hostPath);
      try {
        const refusal = await murano.product.waitForStatus('gw-wrong-build', (s) => s.status === 'DOWNLOAD_ERROR', RUN_LIMIT_MS);
        assert.equal(refusal.message,
          "image is linked to run from 0x21040000 (MCUboot IMAGE_F_ROM_FIXED), but slot B runs from 0x21080000: this is another slot's build");
      } finally {
        host.child.kill('SIGKILL');
        await hostExit(host, RUN_LIMIT_MS).catch(() => undefined);
      }
      const history = murano.product.statusHistory('gw-wrong-build').map((e) => e.document!);
      assert.ok(!history.some((d) => d.status === 'INSTALL'), JSON.stringify(history));
    });
  });
}
