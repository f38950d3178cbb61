import { describe, expect, it } from 'vitest';
import { parseShowInfo, parseShowStat, statNumber } from '../../src/platforms/local/haproxy-stats.js';
import {
  cpuMillicores,
  parseProcStatTicks,
  parseSchedstatNs,
  parseVmRssMiB,
} from '../../src/platforms/local/proc-sampler.js';
import { parseCmdline, sameArgv } from '../../src/platforms/local/run-dir.js';
import { parseHaproxyVersion, parseOpensslVersion } from '../../src/platforms/local/versions.js';
import { LOCAL_EMULATION_NOTE } from '../../src/platforms/local/index.js';

// Shape of proc(5) /proc/<pid>/stat: utime is field 14 (here 150), stime field 15 (here 75).
const STAT_TAIL =
  'S 1 1234 1234 0 -1 4194560 1000 0 0 0 150 75 0 0 20 0 1 0 100 12345678 2000 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 17 1 0 0 0 0 0';

describe('/proc parsing', () => {
  it.each([
    ['1234 (haproxy) ' + STAT_TAIL, 225],
    // comm may hold spaces and parentheses: fields are counted after the last ')'
    ['1234 (my (odd) proc) ' + STAT_TAIL, 225],
  ])('parseProcStatTicks(%j) = %d', (line, ticks) => {
    expect(parseProcStatTicks(line)).toBe(ticks);
  });

  it('parseSchedstatNs reads the run time (first field) and refuses what it cannot read', () => {
    expect(parseSchedstatNs('4807771 18740428 2\n')).toBe(4807771);
    expect(parseSchedstatNs('  123456789012 0 9')).toBe(123456789012);
    expect(parseSchedstatNs('')).toBeNull();
    expect(parseSchedstatNs('x 1 2')).toBeNull();
  });

  it('parseProcStatTicks refuses a line it cannot read', () => {
    expect(() => parseProcStatTicks('garbage')).toThrow(/unreadable/);
  });

  it('parseVmRssMiB reads VmRSS in kB as MiB', () => {
    const status = 'Name:\thaproxy\nVmPeak:\t  99999 kB\nVmRSS:\t   10240 kB\nRssAnon:\t 5000 kB\n';
    expect(parseVmRssMiB(status)).toBe(10);
    expect(parseVmRssMiB('Name:\tkthreadd\n')).toBe(0);
  });

  it.each([
    // [Δticks, ticks/s, Δwall ms, millicores]
    [100, 100, 1000, 1000], // one core busy for a second
    [25, 100, 500, 500], // half a core
    [250, 250, 2000, 500], // CONFIG_HZ-style 250 ticks per second
    [0, 100, 250, 0],
    [10, 100, 0, 0], // no wall time: no rate
  ])('cpuMillicores(%d, %d, %d) = %d', (dt, hz, wall, mc) => {
    expect(cpuMillicores(dt, hz, wall)).toBeCloseTo(mc, 9);
  });

  it('parseCmdline splits NUL-separated argv and sameArgv compares exactly', () => {
    const argv = parseCmdline('haproxy\0-db\0-f\0/tmp/meshbench-x/a.cfg\0');
    expect(argv).toEqual(['haproxy', '-db', '-f', '/tmp/meshbench-x/a.cfg']);
    expect(sameArgv(argv, ['haproxy', '-db', '-f', '/tmp/meshbench-x/a.cfg'])).toBe(true);
    expect(sameArgv(argv, ['haproxy', '-db', '-f', '/tmp/meshbench-y/a.cfg'])).toBe(false);
    expect(sameArgv(parseCmdline(''), ['haproxy'])).toBe(false);
  });
});

describe('HAProxy runtime API parsing', () => {
  const SHOW_STAT = [
    '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,status,type,req_tot,',
    'outbound,FRONTEND,,,1,4,9987,52,100,200,OPEN,0,52,',
    'outbound-upstream,server-1,0,0,0,2,,26,50,100,no check,2,,',
    'outbound-upstream,BACKEND,0,0,0,2,999,52,100,200,UP,1,,',
    '',
  ].join('\n');

  it('parseShowStat keys every row by the header', () => {
    const rows = parseShowStat(SHOW_STAT);
    expect(rows.map((r) => `${r.pxname}/${r.svname}`)).toEqual([
      'outbound/FRONTEND',
      'outbound-upstream/server-1',
      'outbound-upstream/BACKEND',
    ]);
    expect(statNumber(rows[0], 'stot')).toBe(52);
    expect(statNumber(rows[0], 'req_tot')).toBe(52);
    expect(statNumber(rows[1], 'req_tot')).toBe(0); // blank: does not apply
    expect(rows[1]?.status).toBe('no check');
  });

  it('parseShowStat refuses an answer that is not a stat table', () => {
    expect(() => parseShowStat('Unknown command.\n')).toThrow(/not a 'show stat'/);
  });

  it('parseShowInfo reads "Name: value" lines', () => {
    expect(parseShowInfo('Name: HAProxy\nVersion: 2.6.12\nPid: 4242\nNbthread: 1\n')).toMatchObject({
      Pid: '4242',
      Nbthread: '1',
      Version: '2.6.12',
    });
  });
});

describe('versions', () => {
  it.each([
    ['HAProxy version 2.6.12-1+deb12u4 2026/10/17 - https://haproxy.org/\nStatus: ...', '2.6.12-1+deb12u4'],
    ['HA-Proxy version 1.8.19-1+deb10u3 2020/08/01\nCopyright 2000-2019', '1.8.19-1+deb10u3'],
    ['HAProxy version 3.0.5 2024/09/19 - https://haproxy.org/', '3.0.5'],
    ['bash: haproxy: command not found', null],
  ])('parseHaproxyVersion(%j) = %j', (text, v) => {
    expect(parseHaproxyVersion(text)).toBe(v);
  });

  it.each([
    ['OpenSSL 3.0.19 27 Jan 2026 (Library: OpenSSL 3.0.19 27 Jan 2026)', 'OpenSSL 3.0.19'],
    ['LibreSSL 3.3.6', 'LibreSSL 3.3.6'],
    ['', null],
  ])('parseOpensslVersion(%j) = %j', (text, v) => {
    expect(parseOpensslVersion(text)).toBe(v);
  });

  it('the emulation note names HAProxy, its version and what it is not', () => {
    const note = LOCAL_EMULATION_NOTE('2.6.12');
    expect(note).toContain('HAProxy 2.6.12');
    expect(note).toContain('loopback');
    expect(note).toMatch(/not a measurement of Envoy or ztunnel/);
  });
});
