import iconv from 'iconv-lite';
import { parseEmployerCsv } from './src/employers/csv-import';
let produced = 0;
async function* gen() {
  yield iconv.encode('Namn;Organisationsnummer;Kommun;Sektor;Segment\r\n', 'windows-1252');
  for (let s = 0; s < 20000; s += 100) { let c = ''; for (let i = s; i < s + 100; i++) c += `Företag nr ${i} i Höör;${i%2===0?'556016-0680':''};1267;privat;småföretag\r\n`; produced += 100; yield iconv.encode(c, 'windows-1252'); }
}
(async () => {
  let n = 0, maxLead = 0, first = 0;
  for await (const r of parseEmployerCsv(gen())) { n++; if (n === 1) first = produced; maxLead = Math.max(maxLead, produced - n); }
  console.log({ first, maxLead, mem: process.memoryUsage().heapUsed >> 20 });
})();
