export * from './model-schools.module';
export * from './model-school.service';
export * from './designation.service';
export * from './family-support.service';
export * from './rubric';
export * from './model-school-scope';
export * from './dto/model-school.dto';
