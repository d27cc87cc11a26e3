import { describe, expect, it } from 'vitest';
import { decodeLink, defaultLinkState } from '../core/urlSchema';
import { hiddenControlsCss, shareableLink, urlFor } from './urlSync';

describe('urlFor', () => {
  it('moves the old query keys into the hash and keeps foreign ones', () => {
    expect(urlFor('/', '?preset=simple-convs&C=2&utm_source=x', 'preset=simple-convs&C=2')).toBe('/?utm_source=x#preset=simple-convs&C=2');
    expect(urlFor('/app/', '', '')).toBe('/app/');
    expect(urlFor('/', '?backend=wasm', 'backend=wasm')).toBe('/#backend=wasm');
  });
});

describe('shareableLink', () => {
  it('is an absolute link that decodes to the same state', () => {
    const state = { ...defaultLinkState('simple-convs'), hidden: ['steps', 'lr'] };
    state.config = { ...state.config, seed: 42 };
    const link = shareableLink(state, { origin: 'https://example.org', pathname: '/darts/', search: '?C=8' });
    expect(link).toBe('https://example.org/darts/#preset=simple-convs&seed=42&hide=lr,steps');
    const u = new URL(link);
    expect(decodeLink(u.search, u.hash).state).toEqual({ ...state, hidden: ['lr', 'steps'] });
  });
});

describe('hiddenControlsCss', () => {
  it('removes exactly the named controls', () => {
    expect(hiddenControlsCss([])).toBe('');
    const css = hiddenControlsCss(['steps', 'bogus', 'lr']);
    expect(css).toContain('[data-control="lr"],\n[data-control="steps"] {');
    expect(css).toContain('display: none !important');
    expect(css).not.toContain('bogus');
  });
});
