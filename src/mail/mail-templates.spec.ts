import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { templatesDir } from '../common/paths';
import type { AppConfig } from '../config/app-config';
import { MailTemplates } from './mail-templates';

const templates = new MailTemplates({ appUrl: 'https://praktiknav.example' } as AppConfig);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

describe('mail templates', () => {
  it('has the templates later issues rely on, in Swedish and English', () => {
    expect(templates.names()).toEqual(
      expect.arrayContaining(['digest', 'notice', 'contact-next-step', 'claim-expiring']),
    );
    for (const name of templates.names()) {
      expect(templates.has(name)).toBe(true);
    }
  });

  it('renders every sample in both languages with a one-line subject, text and HTML', () => {
    for (const name of templates.names()) {
      const sample = templates.sample(name);
      for (const locale of ['sv', 'en'] as const) {
        const out =
          name === 'digest'
            ? templates.renderDigest(
                locale,
                sample.payload.items as { template: string; payload: Record<string, unknown> }[],
              )
            : templates.render(name, locale, sample.payload, { category: sample.category });
        expect(out.subject).not.toMatch(/[\r\n]/);
        expect(out.subject.length).toBeGreaterThan(3);
        expect(out.text.length).toBeGreaterThan(20);
        expect(out.html).toMatch(/^<!doctype html>/);
        expect(out.html).toContain(`lang="${locale}"`);
      }
    }
  });

  it('never uses triple-stash: user data is always escaped in HTML', () => {
    for (const file of files(templatesDir('mail')).filter((f) => f.endsWith('.hbs'))) {
      expect({ file, raw: /\{\{\{|\{\{&/.test(readFileSync(file, 'utf8')) }).toEqual({
        file,
        raw: false,
      });
    }
    const out = templates.render('claim-expiring', 'sv', {
      userName: '<b>Anna</b>',
      employerName: '<script>alert(1)</script> & "Co"',
      purpose: 'internship',
      validUntil: '2026-11-19T15:00:00.000Z',
      url: 'javascript:alert(1)',
    });
    expect(out.html).not.toContain('<script>');
    expect(out.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;');
    expect(out.html).not.toContain('javascript:');
    expect(out.html).toContain('href="https://praktiknav.example/"');
    // Plain text is not HTML-escaped.
    expect(out.text).toContain('<script>alert(1)</script> & "Co"');
    expect(out.subject).toBe(
      'Din reservation av <script>alert(1)</script> & "Co" går ut 2026-11-19 16:00',
    );
  });

  it('lists every item of a digest, each rendered by its own template', () => {
    const out = templates.renderDigest('en', [
      { template: 'notice', payload: { subject: 'First', paragraphs: ['One <i>'] } },
      { template: 'notice', payload: { subject: 'Second', paragraphs: ['Two'] } },
      {
        template: 'claim-expiring',
        payload: {
          userName: 'A',
          employerName: 'Third AB',
          purpose: 'other',
          validUntil: '2026-11-19T15:00:00.000Z',
          url: '/employers/x',
        },
      },
    ]);
    expect(out.subject).toBe('3 messages from Praktiknav');
    for (const s of ['1. First', '2. Second', '3. Your claim on Third AB']) {
      expect(out.text).toContain(s);
      expect(out.html).toContain(s);
    }
    expect(out.html).toContain('One &lt;i&gt;');
  });

  it('keeps the lines of a signature apart in HTML, each escaped', () => {
    const out = templates.render('notice', 'sv', {
      subject: 'Hej',
      paragraphs: [],
      signature: 'Vänliga hälsningar\n<Praktiknav>',
    });
    expect(out.html).toContain('Vänliga hälsningar<br>&lt;Praktiknav&gt;');
    expect(out.text).toContain('Vänliga hälsningar\n<Praktiknav>');
  });

  it('adds the opt-out link to outreach mail, in both bodies', () => {
    const out = templates.render(
      'notice',
      'sv',
      { subject: 'Hej', paragraphs: ['x'] },
      { optOutUrl: 'https://praktiknav.example/u/tok', organisationName: 'AF Eslöv' },
    );
    expect(out.text).toContain('Avregistrera dig här: https://praktiknav.example/u/tok');
    expect(out.html).toContain('href="https://praktiknav.example/u/tok"');
    expect(out.text).toContain('för AF Eslöv');
  });
});
