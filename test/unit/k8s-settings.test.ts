import { describe, expect, it } from 'vitest';
import {
  DEFAULT_KUBERNETES_SETTINGS,
  kubernetesSettingsSchema,
} from '../../src/platforms/kubernetes/settings.js';
import {
  loadJobName,
  namespaceName,
  runLabelValue,
  runSelector,
} from '../../src/platforms/kubernetes/names.js';
import { supportsNativeSidecars } from '../../src/platforms/kubernetes/platform.js';
import { cpuMillicores, memMiB, parseQuantity } from '../../src/units/quantity.js';
import { clusterPath, imageTag } from '../../src/platforms/kubernetes/proxies.js';
import { getMode } from '../../src/modes/registry.js';

describe('kubernetes settings', () => {
  it('has defaults for everything, with pinned image tags', () => {
    expect(DEFAULT_KUBERNETES_SETTINGS).toMatchObject({
      namespacePrefix: 'meshbench',
      readyTimeoutSec: 300,
      k6Parallelism: 1,
      sampleIntervalSec: 15,
    });
    expect(DEFAULT_KUBERNETES_SETTINGS.serverImage).toMatch(/^fortio\/fortio:\d+\.\d+\.\d+$/);
    expect(DEFAULT_KUBERNETES_SETTINGS.k6Image).toMatch(/^grafana\/k6:\d+\.\d+\.\d+$/);
    expect(DEFAULT_KUBERNETES_SETTINGS.context).toBeUndefined();
  });

  it.each([
    [{ namespacePrefix: 'Has_Caps' }, 'namespacePrefix'],
    [{ namespacePrefix: 'a-very-long-prefix-over-20' }, 'namespacePrefix'],
    [{ readyTimeoutSec: 0 }, 'readyTimeoutSec'],
    [{ prometheusUrl: 'not a url' }, 'prometheusUrl'],
    [{ serverResources: { requests: { cpu: 'lots', memory: '1Gi' } } }, 'serverResources'],
    [{ k6Parallelism: 0 }, 'k6Parallelism'],
    [{ istioRevision: 'asm 1.26' }, 'istioRevision'],
    [{ replicas: 2 }, ''],
  ])('rejects %j', (input, field) => {
    const r = kubernetesSettingsSchema.safeParse(input);
    expect(r.success).toBe(false);
    if (!r.success && field) expect(r.error.issues[0]?.path[0]).toBe(field);
  });
});

describe('names', () => {
  it('keeps namespace names valid whatever the run id', () => {
    const long = `20261121-231500-${'x'.repeat(40)}-3fa2`;
    const ns = namespaceName('meshbench-nightly-xy', long, 'istio-waypoint');
    expect(ns.length).toBeLessThanOrEqual(63);
    expect(ns).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(namespaceName('meshbench', long, 'baseline')).toBe(namespaceName('meshbench', long, 'baseline'));
    expect(namespaceName('meshbench', 'run-a', 'baseline')).not.toBe(
      namespaceName('meshbench', 'run-b', 'baseline'),
    );
  });

  it('labels with the run id, or its hash when it is not a valid label value', () => {
    expect(runLabelValue('20261121-231500-default-3fa2')).toBe('20261121-231500-default-3fa2');
    expect(runLabelValue('x'.repeat(64))).toMatch(/^h-[0-9a-f]{8}$/);
    expect(runSelector('r1')).toBe('app.kubernetes.io/managed-by=meshbench,meshbench.io/run=r1');
    expect(runSelector()).toBe('app.kubernetes.io/managed-by=meshbench,meshbench.io/run');
    expect(loadJobName('medium', 3)).toBe('k6-medium-r3');
  });
});

describe('quantities', () => {
  it.each([
    ['12345678n', 12.345678],
    ['250m', 250],
    ['2', 2000],
    ['1.5', 1500],
    ['1e3', 1_000_000],
  ])('cpu %s = %f millicores', (q, want) => expect(cpuMillicores(q)).toBeCloseTo(want, 9));

  it.each([
    ['65536Ki', 64],
    ['128Mi', 128],
    ['1Gi', 1024],
    ['1048576', 1],
    ['1M', 1e6 / 2 ** 20],
  ])('memory %s = %f MiB', (q, want) => expect(memMiB(q)).toBeCloseTo(want, 9));

  it('refuses what is not a quantity', () => {
    expect(() => parseQuantity('12 cores')).toThrow(/not a Kubernetes quantity/);
  });
});

describe('versions and paths', () => {
  it('reads image tags', () => {
    expect(imageTag('docker.io/istio/proxyv2:1.26.0')).toBe('1.26.0');
    expect(imageTag('localhost:5000/istio/proxyv2')).toBe('latest');
    expect(
      imageTag('840364872350.dkr.ecr.us-west-2.amazonaws.com/aws-appmesh-envoy:v1.29.6.0-prod@sha256:abc'),
    ).toBe('v1.29.6.0-prod');
  });

  it('knows which Kubernetes versions run native sidecars', () => {
    expect(supportsNativeSidecars('v1.28.9')).toBe(false);
    expect(supportsNativeSidecars('v1.29.0')).toBe(true);
    expect(supportsNativeSidecars('v1.31.2-eks-7f9249a')).toBe(true);
    expect(supportsNativeSidecars(undefined)).toBe(false);
  });

  it('draws each mode request path', () => {
    expect(clusterPath(getMode('baseline'))).toEqual(['client', 'app']);
    expect(clusterPath(getMode('istio-sidecar'))).toEqual([
      'client',
      'envoy:client-sidecar(l7)',
      'mTLS',
      'envoy:server-sidecar(l7)',
      'app',
    ]);
    expect(clusterPath(getMode('istio-waypoint'))).toEqual([
      'client',
      'ztunnel:ztunnel-outbound(l4)',
      'mTLS',
      'envoy:waypoint(l7)',
      'mTLS',
      'ztunnel:ztunnel-inbound(l4)',
      'app',
    ]);
    expect(clusterPath(getMode('appmesh'))).toEqual([
      'client',
      'envoy:client-sidecar(l7)',
      'envoy:server-sidecar(l7)',
      'app',
    ]);
  });
});
