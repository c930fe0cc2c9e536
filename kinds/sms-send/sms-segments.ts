/**
 * How many SMS a text takes, as the networks count it: GSM 03.38 text fits 160 characters in one
 * message and 153 per part once split (the rest carries the joining header); anything outside that
 * alphabet sends the whole text as UCS-2, 70 and 67. 8x8 bills per part, so a template that grows
 * one character past a limit doubles the cost: the console shows this as the user types.
 */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** Characters of the extension table: each costs two (an escape and the character). */
const GSM_EXTENDED = '^{}\\[~]|€\f';

const basic = new Set(GSM_BASIC);
const extended = new Set(GSM_EXTENDED);

export interface SmsLength {
  encoding: 'GSM-7' | 'UCS-2';
  /** Characters as the encoding counts them (GSM-7: extension characters count two; UCS-2: UTF-16 units). */
  characters: number;
  segments: number;
}

export function smsLength(text: string): SmsLength {
  let gsm = 0;
  for (const ch of text) {
    if (basic.has(ch)) gsm += 1;
    else if (extended.has(ch)) gsm += 2;
    else return ucs2(text);
  }
  return { encoding: 'GSM-7', characters: gsm, segments: gsm === 0 ? 0 : gsm <= 160 ? 1 : Math.ceil(gsm / 153) };
}

function ucs2(text: string): SmsLength {
  const units = text.length;
  return { encoding: 'UCS-2', characters: units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}
