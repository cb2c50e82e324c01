import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'products' })
export class Product {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'char', length: 14 })
  gtin!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  brand!: string;

  @Column({ type: 'text' })
  category!: string;

  @Column({ type: 'varchar', length: 10 })
  hsCode!: string;

  @Column({ type: 'char', length: 2 })
  originCountry!: string;

  @Column({ type: 'timestamptz' })
  registeredAt!: Date;
}
