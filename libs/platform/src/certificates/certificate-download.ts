import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  StreamableFile,
  UseInterceptors,
} from '@nestjs/common';
import { ApiProduces } from '@nestjs/swagger';
import { map, Observable } from 'rxjs';
import { certificateDisposition } from './certificate-format.dto';
import { RenderedCertificate } from './certificate-renderer';

/** Sends the certificate a route returns as the file itself, with its type, length and disposition. */
@Injectable()
export class CertificateFileInterceptor implements NestInterceptor<RenderedCertificate, StreamableFile> {
  intercept(_context: ExecutionContext, next: CallHandler<RenderedCertificate>): Observable<StreamableFile> {
    return next.handle().pipe(
      map(
        (file) =>
          new StreamableFile(file.content, {
            type: file.contentType,
            disposition: certificateDisposition(file),
            length: file.content.length,
          }),
      ),
    );
  }
}

/**
 * A route that answers with a rendered certificate (PDF, or PNG to share in WeChat): the handler
 * returns the service's `RenderedCertificate` and the file goes out as the body.
 */
export function CertificateDownload(): MethodDecorator {
  return applyDecorators(ApiProduces('application/pdf', 'image/png'), UseInterceptors(CertificateFileInterceptor));
}
