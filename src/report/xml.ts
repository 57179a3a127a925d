/** Just enough XML writing for the JUnit report: escaping that survives any text from the user's files. */

/**
 * Characters XML 1.0 cannot carry at all (control characters such as the ESC
 * of a colour code, unpaired surrogates, U+FFFE/U+FFFF) become U+FFFD;
 * parsers reject the whole report otherwise.
 */
function legal(text: string): string {
  return text.replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '\ufffd');
}

/** `>` stays as it is (witness paths are full of `->`) except where it would close `]]>`, the one place XML forbids it. */
export function xmlText(text: string): string {
  return legal(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/]]>/g, ']]&gt;');
}

/** Attribute values also keep their line breaks and tabs, which parsers would otherwise turn into spaces. */
export function xmlAttr(text: string): string {
  return xmlText(text).replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

/** `children` is markup: text in it must already be escaped with xmlText. */
export function element(name: string, attrs: Readonly<Record<string, string | number | undefined>>, children?: string): string {
  const a = Object.entries(attrs)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('');
  return children === undefined ? `<${name}${a}/>` : `<${name}${a}>${children}</${name}>`;
}
