import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { DomainException } from '@traceport/errors';
import type { Response } from 'express';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { ImportJob } from '../openapi/schemas/archive.schemas.js';
import { ArchiveImportGateway, type ImportJobMessage } from './archive-import.gateway.js';

function importJsonOf(job: ImportJobMessage) {
  return {
    id: job.id,
    status: job.status,
    total_rows: job.totalRows,
    processed_rows: job.processedRows,
    created_rows: job.createdRows,
    failed_rows: job.failedRows,
    progress: job.totalRows === 0 ? 1 : Math.round((job.processedRows / job.totalRows) * 1000) / 1000,
    rows_per_second: job.rowsPerSecond,
    errors: job.errors,
    failure: job.failure || null,
    created_at: job.createdAt,
    started_at: job.startedAt || null,
    finished_at: job.finishedAt || null,
  };
}

/** Bulk import of the archive from one CSV file (docs/archive-import.md). */
@ApiTags('Archive')
@Controller('v1/archive/imports')
export class ArchiveImportController {
  constructor(private readonly imports: ArchiveImportGateway) {}

  /** `Content-Type: text/csv`; answers 202 with the job, whose progress GET /v1/archive/imports/{id} reports. */
  @Post()
  @HttpCode(202)
  @ApiDoc({
    summary: 'Import the archive from a CSV file',
    description: 'One row per record, its type in the first column (docs/archive-import.md). Rows are created in order; refused rows are reported with their line.',
    body: { schema: z.string(), contentType: 'text/csv', description: 'The CSV file.' },
    response: { status: 202, description: 'The import job, queued.', schema: ImportJob, headers: { Location: 'The job: follow its progress there.' } },
    problems: [400, 413],
  })
  async start(@Body() body: unknown, @Headers('content-type') contentType: string | undefined, @Res({ passthrough: true }) response: Response) {
    if (typeof body !== 'string' || !/^text\/csv\b/.test(contentType ?? '')) {
      throw new DomainException('unsupported-media-type', 'invalid', 'send the file as the request body with Content-Type: text/csv');
    }
    const job = await this.imports.start(body);
    response.location(`/v1/archive/imports/${job.id}`);
    return importJsonOf(job);
  }

  @Get(':id')
  @ApiDoc({ summary: 'An import job and its progress', params: { id: 'The job id.' }, response: { status: 200, description: 'The job.', schema: ImportJob }, problems: [404] })
  async get(@Param('id') id: string) {
    return importJsonOf(await this.imports.get(id));
  }
}
