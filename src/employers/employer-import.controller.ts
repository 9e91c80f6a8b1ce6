import {
  Controller,
  Get,
  Header,
  Param,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Readable } from 'node:stream';
import { Roles } from '../auth/access.decorators';
import { DomainError } from '../common/domain-error';
import { IdParam } from '../common/id-param';
import { employersToCsv } from './csv-export';
import { ListEmployersQuery } from './dto/employer.dto';
import {
  ImportQuery,
  ImportResponse,
  ImportRowPage,
  ImportRowResponse,
  ImportRowsQuery,
} from './dto/import.dto';
import { EmployerImportService } from './employer-import.service';
import { EmployersService } from './employers.service';

const CSV_TYPES =
  /^(text\/csv|text\/plain|application\/csv|application\/octet-stream|application\/vnd\.ms-excel)\b/i;

@ApiTags('employers')
@Controller('api/v1/employers')
export class EmployerImportController {
  constructor(
    private readonly imports: EmployerImportService,
    private readonly employers: EmployersService,
  ) {}

  @Post('imports')
  @Roles('recruiter', 'admin')
  @ApiConsumes('text/csv')
  @ApiBody({
    description:
      'The CSV file as the request body: UTF-8 or Windows-1252, ; or , separated, Swedish or English headers',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiCreatedResponse({
    type: ImportResponse,
    description: 'The finished import (dry run by default); rows at /imports/{id}/rows',
  })
  async import(@Req() req: Request, @Query() q: ImportQuery): Promise<ImportResponse> {
    if (!CSV_TYPES.test(req.headers['content-type'] ?? '')) {
      throw new DomainError(
        'UNSUPPORTED_MEDIA_TYPE',
        415,
        'Send the CSV file as the request body with Content-Type: text/csv',
      );
    }
    const imp = await this.imports.create(req.principal!, q.dryRun, q.filename ?? null);
    return ImportResponse.of(await this.imports.process(imp, req));
  }

  @Get('imports/:id')
  @Roles('recruiter', 'admin')
  @ApiOkResponse({ type: ImportResponse })
  async getImport(@Param('id', IdParam) id: string, @Req() req: Request): Promise<ImportResponse> {
    return ImportResponse.of(await this.imports.get(id, req.principal!));
  }

  @Get('imports/:id/rows')
  @Roles('recruiter', 'admin')
  @ApiOkResponse({
    type: ImportRowPage,
    description:
      'Per row: new, created, duplicate (of which employer or line, why) or invalid (field, message)',
  })
  async importRows(
    @Param('id', IdParam) id: string,
    @Query() q: ImportRowsQuery,
    @Req() req: Request,
  ): Promise<ImportRowPage> {
    const page = await this.imports.rows(id, req.principal!, q);
    return { ...page, items: page.items.map((r) => ImportRowResponse.of(r)) };
  }

  @Get('export.csv')
  @Roles('recruiter', 'coordinator', 'admin')
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'The filtered list as CSV: UTF-8 with BOM, semicolons (opens in Excel)',
  })
  @Header('Cache-Control', 'no-store')
  export(
    @Query() q: ListEmployersQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): StreamableFile {
    const locale = res.locals.locale === 'en' ? 'en' : 'sv';
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="arbetsgivare.csv"`);
    return new StreamableFile(
      Readable.from(employersToCsv(this.employers.exportRows(q, req.principal!), locale)),
    );
  }
}
