import { KubeConfig } from '@kubernetes/client-node';
import { expect } from 'vitest';
import { type JsonRequest, KubeHttp, type RawResponse } from '../../src/kube/http.js';

/** A KubeHttp that notes when each page of a list is asked for (`ask <token>`) and when its whole body is in (`whole <token>`). */
export class PageRecordingHttp extends KubeHttp {
  readonly events: string[] = [];

  static fromFile(kubeconfig: string): PageRecordingHttp {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    return new PageRecordingHttp(kc);
  }

  override requestText(path: string, req: JsonRequest = {}): Promise<RawResponse> {
    const page = req.query?.continue === undefined ? 'first' : String(req.query.continue);
    this.events.push(`ask ${page}`);
    return super.requestText(path, req).then((raw) => {
      this.events.push(`whole ${page}`);
      return raw;
    });
  }

  /** Asserts each of `pages` pages was asked for before the one before it was whole, and never more than one page ahead. */
  expectPagesAskedAhead(pages: number): void {
    const asks = this.events.filter((e) => e.startsWith('ask ')).map((e) => e.slice(4));
    expect(asks).toHaveLength(pages);
    for (let n = 0; n + 1 < asks.length; n++) {
      expect(this.events.indexOf(`ask ${asks[n + 1]}`)).toBeLessThan(this.events.indexOf(`whole ${asks[n]}`));
      if (n > 0) expect(this.events.indexOf(`ask ${asks[n + 1]}`)).toBeGreaterThan(this.events.indexOf(`whole ${asks[n - 1]}`));
    }
  }
}
