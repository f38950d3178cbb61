import { describe, expect, it } from 'vitest';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { FGRPC_PING_PROTO } from '../../src/engines/k6/fgrpc-ping-proto.js';
import { MODE_NAMES, type ModeName } from '../../src/modes/mode.js';
import { renderManifests } from '../../src/platforms/kubernetes/render.js';
import { DEFAULT_KUBERNETES_SETTINGS } from '../../src/platforms/kubernetes/settings.js';
import { LOAD_SUPPORT } from '../../src/runner/load-supports.js';
import { DEFAULT_SPEC } from '../../src/spec/defaults.js';
import { loadSupportProblems } from '../../src/spec/load-support.js';
import type { ResolvedSpec, Tier } from '../../src/spec/schema.js';
import { resolveSpec } from '../../src/spec/validate.js';
import { loadCrdValidator } from '../helpers/crd-validator.js';
import { sharedData } from '../helpers/shared-data.js';

type Obj = { apiVersion: string; kind: string; metadata: { name: string }; [k: string]: any };

const RUN_ID = '20261205-070000-protocols';
const low = DEFAULT_SPEC.tiers[0] as Tier;
const grpcTier: Tier = { ...low, name: 'rpc', protocol: 'grpc' };
const churnTier: Tier = { ...low, name: 'churn', requestsPerConnection: 1 };
const withProtocols: ResolvedSpec = {
  ...DEFAULT_SPEC,
  platform: 'kubernetes',
  modes: [...MODE_NAMES],
  repetitions: 1,
  app: { replicas: 2, delayMs: 3 },
  tiers: [low, grpcTier, churnTier],
};
const plain: ResolvedSpec = { ...withProtocols, tiers: [low] };

function objectsOf(spec: ResolvedSpec, mode: ModeName, k6Operator = false): Obj[] {
  const r = renderManifests(spec, DEFAULT_KUBERNETES_SETTINGS, RUN_ID, {
    capabilities: { k6Operator, nativeSidecars: k6Operator },
  }) as { mode: ModeName; objects: Obj[] }[];
  return r.find((x) => x.mode === mode)?.objects ?? [];
}
const one = (objs: Obj[], kind: string, name?: string): Obj => {
  const o = objs.find((x) => x.kind === kind && (name === undefined || x.metadata.name === name));
  if (o === undefined) throw new Error(`no ${kind} ${name ?? ''}`);
  return o;
};
const envOf = (job: Obj): Record<string, string> =>
  Object.fromEntries(
    (job.spec.template.spec.containers[0].env as { name: string; value: string }[]).map((e) => [
      e.name,
      e.value,
    ]),
  );

describe('Kubernetes manifests for gRPC and churn tiers', () => {
  const objs = objectsOf(withProtocols, 'istio-sidecar');

  it('fortio serves gRPC on 8079 beside HTTP, and the Service names both ports for protocol selection', () => {
    const container = one(objs, 'Deployment').spec.template.spec.containers[0];
    expect(container.args.join(' ')).toMatch(/-http-port 8080 .*-grpc-port 8079/);
    expect(container.ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'grpc', containerPort: 8079, protocol: 'TCP' },
    ]);
    expect(one(objs, 'Service').spec.ports).toEqual([
      { name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP', appProtocol: 'http' },
      { name: 'grpc', port: 8079, targetPort: 8079, protocol: 'TCP', appProtocol: 'grpc' },
    ]);
  });

  it('the gRPC tier’s load targets the gRPC port with the app delay as delayNanos; churn sets noConnectionReuse', () => {
    const rpc = envOf(one(objs, 'Job', 'k6-rpc-r1'));
    expect(rpc['PROTOCOL']).toBe('grpc');
    expect(rpc['TARGETS']).toMatch(/^server\.[a-z0-9-]+\.svc\.cluster\.local:8079$/);
    expect(rpc['GRPC_DELAY_NANOS']).toBe('3000000');
    const churn = envOf(one(objs, 'Job', 'k6-churn-r1'));
    expect(churn['PROTOCOL']).toBe('http/1.1');
    expect(churn['NO_CONNECTION_REUSE']).toBe('1');
    expect(churn['TARGETS']).toMatch(/:8080\/echo\?delay=3ms$/);
  });

  it('the script ConfigMap carries the proto k6 loads beside the scenario', () => {
    expect(one(objs, 'ConfigMap').data['fgrpc-ping.proto']).toBe(FGRPC_PING_PROTO);
    expect(FGRPC_PING_PROTO).toMatch(
      /service PingServer \{\s*rpc Ping\(PingMessage\) returns \(PingMessage\)/,
    );
  });

  it('App Mesh gets a grpc listener on the virtual node for the gRPC port', () => {
    const vn = one(objectsOf(withProtocols, 'appmesh'), 'VirtualNode', 'server');
    expect(vn.spec.listeners).toEqual([
      { portMapping: { port: 8080, protocol: 'http' } },
      { portMapping: { port: 8079, protocol: 'grpc' } },
    ]);
  });

  it('a spec without gRPC tiers renders exactly as before: no gRPC port, flag, listener or proto', () => {
    for (const mode of MODE_NAMES) {
      const text = JSON.stringify(objectsOf(plain, mode));
      // (The load pod's reducer knows every metric name, grpc_req_duration included, whatever the spec.)
      expect(text).not.toMatch(/8079|fgrpc|"appProtocol":"grpc"|-grpc-port|"protocol":"grpc"/);
    }
  });

  it('every built-in object validates against the Kubernetes schemas', () => {
    const builtin: Record<string, (o: Obj) => { validate(): void }> = {
      Deployment: (o) => new Deployment(o as never),
      Service: (o) => new Service(o as never),
      ConfigMap: (o) => new ConfigMap(o as never),
      Job: (o) => new Job(o as never),
    };
    for (const mode of MODE_NAMES)
      for (const o of objectsOf(withProtocols, mode)) {
        const make = builtin[o.kind];
        if (make) expect(() => make(o).validate(), `${mode} ${o.kind} ${o.metadata.name}`).not.toThrow();
      }
  });

  const crdDir = sharedData('crds');
  crdDir.describe('against the published CRDs in shared/crds', () => {
    it('every custom resource of every mode validates, k6-operator TestRuns included', () => {
      const crds = loadCrdValidator(crdDir.path);
      let checked = 0;
      for (const mode of MODE_NAMES)
        for (const operator of [false, true])
          for (const o of objectsOf(withProtocols, mode, operator)) {
            if (!crds.has(o.apiVersion, o.kind)) continue;
            expect(crds.problems(o), `${mode} ${o.kind} ${o.metadata.name}`).toEqual([]);
            checked++;
          }
      expect(checked).toBeGreaterThan(5);
    });
  });
});

describe('what the kubernetes platform declares it carries (src/platforms/kubernetes/support.ts)', () => {
  it('runs http/1.1 and gRPC, and churn (k6 decides how much)', () => {
    const s = resolveSpec({
      tiers: [
        { name: 'a', rps: 10 },
        { name: 'b', rps: 10, protocol: 'grpc' },
        { name: 'c', rps: 10, requestsPerConnection: 1 },
      ],
    });
    expect(loadSupportProblems(s, [LOAD_SUPPORT.kubernetes])).toEqual([]);
  });

  it('refuses h2c, saying load in a cluster runs as k6', () => {
    const s = resolveSpec({ tiers: [{ name: 'h2', rps: 10, protocol: 'h2c' }] });
    expect(loadSupportProblems(s, [LOAD_SUPPORT.kubernetes])).toEqual([
      expect.stringMatching(/tiers\[0\]\.protocol \(tier h2\): platform kubernetes does not speak h2c.*k6/),
    ]);
  });
});
