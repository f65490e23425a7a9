import { ReviewDto } from './dto/model-school.dto';
import { ReviewRow } from './model-schools.repository';

/** An expert's review as the application's readers see it. */
export function toReviewDto(r: ReviewRow): ReviewDto {
  return {
    id: r.id,
    applicationId: r.applicationId,
    reviewerId: r.reviewerId,
    scores: r.scores,
    total: r.total,
    comment: r.comment,
    submittedAt: r.submittedAt?.toISOString() ?? null,
  };
}
