/**
 * `npm run bench`: meshbench measuring itself. Runs every bench section in sequence and prints one table of
 * target / measured / same-run comparison / ratio / pass, with the load average at the start of each section.
 * About 25 minutes on a 2-core machine; the figures and the machine they came from are in docs/PERFORMANCE.md.
 *
 *   npm run bench
 *   npm run bench -- --skip-harness              # without the 2.5-minute --quick run
 *   npm run bench -- --wait-load 1.5             # first wait (up to 10 min) for a 1-minute load average < 1.5
 *   npm run bench -- --markdown /tmp/bench.md    # also write the table, details and machine as Markdown
 *
 * Sections (each also runs on its own, see its header): engine-reference (the builtin engine against an
 * open-loop C reference client), app-calibration (the app's delay read back by that client), protocol-precision
 * (the engine per tier protocol: HTTP/1.1 against that client, h2c against h2load, gRPC against its own h2c), engine-fidelity
 * (against the closed-loop wrk and hey), engine-capacity, harness-overhead, pipeline, size. Other flags:
 * --skip-reference, --skip-calibration, --skip-protocols, --skip-fidelity, --skip-capacity, --skip-pipeline, --skip-size,
 * --size-rows <n> (services in the size bench's inventory, default 100000), --duration <s> (fidelity window),
 * --rounds <n> (rounds of every interleaved section; default 7 for engine-reference, 3 for the others),
 * --size-mb <n> (k6 ingest size, default 200), --cli auto|dist|tsx (harness), --strict (exit 1 when a
 * target is missed). A section that fails is reported in the table and the others still run; the exit code is
 * then 1.
 */
import { writeFile } from 'node:fs/promises';
import { argNumber, argValue, hasFlag } from './lib/args.js';
import { figuresMarkdown, textTable, type Figure, type SectionResult } from './lib/figures.js';
import { describeMachine, loadAverage, machine, waitForQuiet } from './lib/machine.js';
import { engineCapacity } from './engine-capacity.bench.js';
import { appCalibration } from './app-calibration.bench.js';
import { engineFidelity } from './engine-fidelity.bench.js';
import { engineReference } from './engine-reference.bench.js';
import { harnessOverhead } from './harness-overhead.bench.js';
import { pipeline } from './pipeline.bench.js';
import { protocolPrecision } from './protocol-precision.bench.js';
import { sizeBench } from './size.bench.js';

interface Section {
  name: string;
  skip: boolean;
  run: () => Promise<SectionResult>;
}

const log = (s: string) => process.stderr.write(`${s}\n`);

async function main(): Promise<number> {
  const cli = argValue('--cli');
  if (cli !== undefined && cli !== 'auto' && cli !== 'dist' && cli !== 'tsx')
    throw new Error('--cli takes auto, dist or tsx');
  const duration = argNumber('--duration');
  const rounds = argNumber('--rounds');
  const sizeMB = argNumber('--size-mb') ?? 200;
  const m = machine();
  const startedAt = new Date().toISOString();

  const waitLoad = argNumber('--wait-load');
  let quiet: boolean | undefined;
  if (waitLoad !== undefined) quiet = await waitForQuiet(waitLoad, argNumber('--wait-sec') ?? 600, log);

  const sections: Section[] = [
    {
      name: 'engine vs reference',
      skip: hasFlag('--skip-reference'),
      run: () => engineReference({ log, ...(rounds ? { rounds } : {}) }),
    },
    { name: 'app calibration', skip: hasFlag('--skip-calibration'), run: () => appCalibration({ log }) },
    {
      name: 'protocol precision',
      skip: hasFlag('--skip-protocols'),
      run: () => protocolPrecision({ log, ...(rounds ? { rounds } : {}) }),
    },
    {
      name: 'engine fidelity',
      skip: hasFlag('--skip-fidelity'),
      run: () =>
        engineFidelity({
          log,
          ...(duration ? { durationSec: duration } : {}),
          ...(rounds ? { rounds } : {}),
        }),
    },
    { name: 'capacity', skip: hasFlag('--skip-capacity'), run: () => engineCapacity({ log }) },
    {
      name: 'harness',
      skip: hasFlag('--skip-harness'),
      run: () => harnessOverhead({ log, ...(cli ? { cli } : {}) }),
    },
    { name: 'pipeline', skip: hasFlag('--skip-pipeline'), run: () => pipeline({ log, sizeMB }) },
    {
      name: 'size',
      skip: hasFlag('--skip-size'),
      run: () => sizeBench({ log, ...(argNumber('--size-rows') ? { rows: argNumber('--size-rows') } : {}) }),
    },
  ];

  const figures: Figure[] = [];
  const details: { name: string; load: string; seconds: number; detail: string }[] = [];
  let failed = false;
  const loadAtStart = loadAverage();
  for (const s of sections.filter((x) => !x.skip)) {
    const load = loadAverage();
    log(`\n== ${s.name} (load average ${load})`);
    const t0 = performance.now();
    try {
      const r = await s.run();
      figures.push(...r.figures);
      details.push({ name: s.name, load, seconds: (performance.now() - t0) / 1000, detail: r.detail });
      log(r.detail);
    } catch (e) {
      failed = true;
      const msg = e instanceof Error ? e.message : String(e);
      figures.push({
        section: s.name,
        name: 'section failed',
        target: '-',
        measured: msg.split('\n')[0] ?? msg,
        versus: '-',
        ratio: NaN,
        pass: false,
      });
      details.push({
        name: s.name,
        load,
        seconds: (performance.now() - t0) / 1000,
        detail: `failed: ${msg}`,
      });
    }
  }
  const loadAtEnd = loadAverage();

  const head = [
    `meshbench bench, ${startedAt}`,
    `machine: ${describeMachine(m)}`,
    `load average (1, 5, 15 min): ${loadAtStart} at start, ${loadAtEnd} at end` +
      (quiet === false ? ` (did not fall below ${waitLoad} while waiting)` : ''),
  ];
  console.log(`\n${head.join('\n')}\n\n${textTable(figures)}`);

  const mdPath = argValue('--markdown');
  if (mdPath) {
    const md = [
      ...head.map((h) => `${h}  `),
      '',
      figuresMarkdown(figures),
      '',
      ...details.map(
        (d) =>
          `### ${d.name} (${d.seconds.toFixed(0)} s, load average at its start ${d.load})\n\n\`\`\`\n${d.detail}\n\`\`\`\n`,
      ),
    ].join('\n');
    await writeFile(mdPath, md);
    log(`\nMarkdown written to ${mdPath}`);
  }
  const missed = figures.some((f) => f.pass === false);
  return failed || (missed && hasFlag('--strict')) ? 1 : 0;
}

process.exitCode = await main();
