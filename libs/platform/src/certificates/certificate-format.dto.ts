import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CERTIFICATE_FORMATS, CertificateFormat } from './certificate-renderer';

export class CertificateFormatQueryDto {
  @ApiPropertyOptional({ enum: CERTIFICATE_FORMATS, default: 'pdf', description: 'pdf 用于打印；png 便于在微信中分享' })
  @IsOptional()
  @IsIn(CERTIFICATE_FORMATS)
  format?: CertificateFormat;
}

/** Content-Disposition for a certificate: the picture opens in place (to long-press and share), the PDF downloads. */
export function certificateDisposition(file: { fileName: string; contentType: string }): string {
  const kind = file.contentType === 'image/png' ? 'inline' : 'attachment';
  const ascii = file.contentType === 'image/png' ? 'certificate.png' : 'certificate.pdf';
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`;
}
