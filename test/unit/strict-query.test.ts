import { strictEncode, strictQuery } from '../../connectors/kit/strict-query';

describe('strict query encoding (what signing connectors sign and send)', () => {
  const everything = `${Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('')}őűŐŰ€😀`;

  it('leaves only the RFC 3986 unreserved characters as they are', () => {
    expect(strictEncode("'()!*")).toBe('%27%28%29%21%2A');
    expect(strictEncode('Győr ű')).toBe('Gy%C5%91r%20%C5%B1');
    expect(strictEncode(everything).replace(/%[0-9A-F]{2}/g, '')).toBe('-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~');
    expect(decodeURIComponent(strictEncode(everything))).toBe(everything);
  });

  it('keeps insertion order, repeats keys for arrays and leaves out undefined', () => {
    expect(strictQuery({ action: 'get_tasks', skip: undefined, id: [1, 2], 'a b': "it's" })).toBe('action=get_tasks&id=1&id=2&a%20b=it%27s');
  });

  it('is sent as built: the URL parser fetch uses neither re-encodes nor normalises it', () => {
    const qs = strictQuery({ filter: everything, text: '100% *kész*!' });
    expect(new URL(`https://acme.worksection.com/api/admin/v2/?${qs}`).search).toBe(`?${qs}`);
  });
});
