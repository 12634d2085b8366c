;; The Lloyd pass of K-Means in WebAssembly SIMD (f64x2): the source of the bytes in
;; ./lloyd-kernel.ts (regenerate with wabt's wat2wasm, then base64; see that file).
;; Both functions follow assignAndAccumulate's contract (test/support/lloyd-pass-scalar.ts, their
;; executable specification) on rows [start, end)
;; of a chunk: label each row with its nearest centre (the first one wins ties), count the
;; labels that changed, and add each row and a count of 1 into its cluster's block of the
;; accumulator, in one of two lanes by the row's parity (consecutive rows often fall in the
;; same cluster, and adds into one memory cell would wait for each other). `start` is even.
;; Memory layouts are set up by ./wasm-pass.ts; all addresses are in bytes.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; Two features, distances in the direct form (x − c)² + (y − c)², which is what the
  ;; scalar pass computes, so the labels are the same bit for bit. Two rows per step: row i
  ;; in lane 0 and row i + 1 in lane 1 of every vector.
  ;;   X: rows of (x, y) as f64; C: k centres as (x, y); L: i32 labels;
  ;;   acc: 2 lanes × k blocks of [Σx, Σy, count, unused] f64 (zeroed here).
  (func (export "pass2")
    (param $X i32) (param $L i32) (param $start i32) (param $end i32)
    (param $C i32) (param $k i32) (param $acc i32) (result i32)
    (local $i i32) (local $p i32) (local $cp i32) (local $cend i32) (local $lane i32)
    (local $bx i32) (local $by i32) (local $q i32) (local $two i32) (local $changed i32)
    (local $a v128) (local $b v128) (local $xs v128) (local $ys v128)
    (local $dx v128) (local $dy v128) (local $dd v128) (local $m v128)
    (local $best v128) (local $idx v128) (local $lt v128)
    (local.set $lane (i32.shl (local.get $k) (i32.const 5)))
    (memory.fill (local.get $acc) (i32.const 0) (i32.shl (local.get $lane) (i32.const 1)))
    (local.set $cend (i32.add (local.get $C) (i32.shl (local.get $k) (i32.const 4))))
    (local.set $i (local.get $start))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        ;; At the end of an odd range the partner row is this row again (and not stored).
        (local.set $two (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $end)))
        (local.set $p (i32.add (local.get $X) (i32.shl (local.get $i) (i32.const 4))))
        (local.set $a (v128.load (local.get $p)))
        (local.set $b (v128.load (i32.add (local.get $p) (i32.shl (local.get $two) (i32.const 4)))))
        (local.set $xs (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a) (local.get $b)))
        (local.set $ys (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a) (local.get $b)))
        (local.set $dx (f64x2.sub (local.get $xs) (v128.load64_splat (local.get $C))))
        (local.set $dy (f64x2.sub (local.get $ys) (v128.load64_splat offset=8 (local.get $C))))
        (local.set $m (f64x2.add (f64x2.mul (local.get $dx) (local.get $dx)) (f64x2.mul (local.get $dy) (local.get $dy))))
        (local.set $best (v128.const i64x2 0 0))
        (local.set $idx (v128.const i64x2 0 0))
        (local.set $cp (i32.add (local.get $C) (i32.const 16)))
        (block $cdone
          (loop $centres
            (br_if $cdone (i32.ge_u (local.get $cp) (local.get $cend)))
            (local.set $idx (i64x2.add (local.get $idx) (v128.const i64x2 1 1)))
            (local.set $dx (f64x2.sub (local.get $xs) (v128.load64_splat (local.get $cp))))
            (local.set $dy (f64x2.sub (local.get $ys) (v128.load64_splat offset=8 (local.get $cp))))
            (local.set $dd (f64x2.add (f64x2.mul (local.get $dx) (local.get $dx)) (f64x2.mul (local.get $dy) (local.get $dy))))
            ;; Branch-free argmin; strictly less, so the first centre keeps a tie.
            (local.set $lt (f64x2.lt (local.get $dd) (local.get $m)))
            (local.set $m (v128.bitselect (local.get $dd) (local.get $m) (local.get $lt)))
            (local.set $best (v128.bitselect (local.get $idx) (local.get $best) (local.get $lt)))
            (local.set $cp (i32.add (local.get $cp) (i32.const 16)))
            (br $centres)))
        (local.set $bx (i32.wrap_i64 (i64x2.extract_lane 0 (local.get $best))))
        (local.set $by (i32.wrap_i64 (i64x2.extract_lane 1 (local.get $best))))
        (local.set $q (i32.add (local.get $L) (i32.shl (local.get $i) (i32.const 2))))
        (local.set $changed (i32.add (local.get $changed) (i32.ne (i32.load (local.get $q)) (local.get $bx))))
        (i32.store (local.get $q) (local.get $bx))
        (local.set $q (i32.add (local.get $acc) (i32.shl (local.get $bx) (i32.const 5))))
        (v128.store (local.get $q) (f64x2.add (v128.load (local.get $q)) (local.get $a)))
        (f64.store offset=16 (local.get $q) (f64.add (f64.load offset=16 (local.get $q)) (f64.const 1)))
        (if (local.get $two)
          (then
            (local.set $q (i32.add (local.get $L) (i32.shl (local.get $i) (i32.const 2))))
            (local.set $changed (i32.add (local.get $changed) (i32.ne (i32.load offset=4 (local.get $q)) (local.get $by))))
            (i32.store offset=4 (local.get $q) (local.get $by))
            (local.set $q (i32.add (i32.add (local.get $acc) (local.get $lane)) (i32.shl (local.get $by) (i32.const 5))))
            (v128.store (local.get $q) (f64x2.add (v128.load (local.get $q)) (local.get $b)))
            (f64.store offset=16 (local.get $q) (f64.add (f64.load offset=16 (local.get $q)) (f64.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $rows)))
    (local.get $changed))

  ;; Any number of features, padded to an even dp, in the expanded form of the specification's widePass:
  ;; the nearest centre minimises bias_c − 2 x·c′ (c′ the centres less their mean). Tiles of
  ;; 2 rows × 4 centres: each loaded pair of values feeds four (or two) products.
  ;;   X: row pairs, each as dp/2 steps of [row 2p: 2 features][row 2p + 1: the same 2];
  ;;   T: kp/4 tiles (kp = k padded to a multiple of 4 with centres whose bias is +∞), each
  ;;      [bias of its 4 centres] then dp/2 steps of [centre 0..3: 2 features];
  ;;   acc: 2 lanes × kp blocks of [dp sums, count, unused] f64 (zeroed here).
  (func (export "passWide")
    (param $X i32) (param $dp i32) (param $L i32) (param $start i32) (param $end i32)
    (param $T i32) (param $kp i32) (param $acc i32) (result i32)
    (local $i i32) (local $row i32) (local $rowEnd i32) (local $p i32) (local $t i32) (local $tEnd i32)
    (local $tile i32) (local $q i32) (local $c i32) (local $block i32) (local $lane i32)
    (local $bx i32) (local $by i32) (local $two i32) (local $changed i32)
    (local $x0 v128) (local $x1 v128) (local $cv v128)
    (local $s00 v128) (local $s01 v128) (local $s02 v128) (local $s03 v128)
    (local $s10 v128) (local $s11 v128) (local $s12 v128) (local $s13 v128)
    (local $m0 v128) (local $m1 v128) (local $b0 v128) (local $b1 v128)
    (local $idx v128) (local $d v128) (local $lt v128)
    (local $f0 f64) (local $f1 f64) (local $g0 i32) (local $g1 i32) (local $o i32)
    (local.set $block (i32.shl (i32.add (local.get $dp) (i32.const 2)) (i32.const 3)))
    (local.set $lane (i32.mul (local.get $kp) (local.get $block)))
    (memory.fill (local.get $acc) (i32.const 0) (i32.shl (local.get $lane) (i32.const 1)))
    (local.set $tile (i32.add (i32.const 32) (i32.shl (local.get $dp) (i32.const 5))))
    (local.set $tEnd (i32.add (local.get $T) (i32.mul (i32.shr_u (local.get $kp) (i32.const 2)) (local.get $tile))))
    (local.set $i (local.get $start))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $two (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $end)))
        ;; this row pair: (i / 2) · dp · 16 bytes
        (local.set $row (i32.add (local.get $X) (i32.mul (i32.shr_u (local.get $i) (i32.const 1)) (i32.shl (local.get $dp) (i32.const 4)))))
        (local.set $rowEnd (i32.add (local.get $row) (i32.shl (local.get $dp) (i32.const 4))))
        (local.set $m0 (v128.const f64x2 inf inf))
        (local.set $m1 (v128.const f64x2 inf inf))
        (local.set $b0 (v128.const i64x2 0 0))
        (local.set $b1 (v128.const i64x2 0 0))
        (local.set $idx (v128.const i64x2 0 1))
        (local.set $t (local.get $T))
        (loop $tiles
          (local.set $s00 (v128.const i64x2 0 0)) (local.set $s01 (v128.const i64x2 0 0))
          (local.set $s02 (v128.const i64x2 0 0)) (local.set $s03 (v128.const i64x2 0 0))
          (local.set $s10 (v128.const i64x2 0 0)) (local.set $s11 (v128.const i64x2 0 0))
          (local.set $s12 (v128.const i64x2 0 0)) (local.set $s13 (v128.const i64x2 0 0))
          (local.set $p (local.get $row))
          (local.set $q (i32.add (local.get $t) (i32.const 32)))
          (loop $features
            (local.set $x0 (v128.load (local.get $p)))
            (local.set $x1 (v128.load offset=16 (local.get $p)))
            (local.set $cv (v128.load (local.get $q)))
            (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $x0) (local.get $cv))))
            (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $x1) (local.get $cv))))
            (local.set $cv (v128.load offset=16 (local.get $q)))
            (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x0) (local.get $cv))))
            (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $x1) (local.get $cv))))
            (local.set $cv (v128.load offset=32 (local.get $q)))
            (local.set $s02 (f64x2.add (local.get $s02) (f64x2.mul (local.get $x0) (local.get $cv))))
            (local.set $s12 (f64x2.add (local.get $s12) (f64x2.mul (local.get $x1) (local.get $cv))))
            (local.set $cv (v128.load offset=48 (local.get $q)))
            (local.set $s03 (f64x2.add (local.get $s03) (f64x2.mul (local.get $x0) (local.get $cv))))
            (local.set $s13 (f64x2.add (local.get $s13) (f64x2.mul (local.get $x1) (local.get $cv))))
            (local.set $p (i32.add (local.get $p) (i32.const 32)))
            (local.set $q (i32.add (local.get $q) (i32.const 64)))
            (br_if $features (i32.lt_u (local.get $p) (local.get $rowEnd))))
          ;; Lanes: centres (c, c + 1), then (c + 2, c + 3); the pair sums' two halves added.
          ;; distance = bias − 2·dot, where 2·dot = dot + dot exactly.
          (local.set $d (f64x2.add
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s00) (local.get $s01))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s00) (local.get $s01))))
          (local.set $d (f64x2.sub (v128.load (local.get $t)) (f64x2.add (local.get $d) (local.get $d))))
          (local.set $lt (f64x2.lt (local.get $d) (local.get $m0)))
          (local.set $m0 (v128.bitselect (local.get $d) (local.get $m0) (local.get $lt)))
          (local.set $b0 (v128.bitselect (local.get $idx) (local.get $b0) (local.get $lt)))
          (local.set $d (f64x2.add
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s10) (local.get $s11))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s10) (local.get $s11))))
          (local.set $d (f64x2.sub (v128.load (local.get $t)) (f64x2.add (local.get $d) (local.get $d))))
          (local.set $lt (f64x2.lt (local.get $d) (local.get $m1)))
          (local.set $m1 (v128.bitselect (local.get $d) (local.get $m1) (local.get $lt)))
          (local.set $b1 (v128.bitselect (local.get $idx) (local.get $b1) (local.get $lt)))
          (local.set $idx (i64x2.add (local.get $idx) (v128.const i64x2 2 2)))
          (local.set $d (f64x2.add
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s02) (local.get $s03))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s02) (local.get $s03))))
          (local.set $d (f64x2.sub (v128.load offset=16 (local.get $t)) (f64x2.add (local.get $d) (local.get $d))))
          (local.set $lt (f64x2.lt (local.get $d) (local.get $m0)))
          (local.set $m0 (v128.bitselect (local.get $d) (local.get $m0) (local.get $lt)))
          (local.set $b0 (v128.bitselect (local.get $idx) (local.get $b0) (local.get $lt)))
          (local.set $d (f64x2.add
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s12) (local.get $s13))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s12) (local.get $s13))))
          (local.set $d (f64x2.sub (v128.load offset=16 (local.get $t)) (f64x2.add (local.get $d) (local.get $d))))
          (local.set $lt (f64x2.lt (local.get $d) (local.get $m1)))
          (local.set $m1 (v128.bitselect (local.get $d) (local.get $m1) (local.get $lt)))
          (local.set $b1 (v128.bitselect (local.get $idx) (local.get $b1) (local.get $lt)))
          (local.set $idx (i64x2.add (local.get $idx) (v128.const i64x2 2 2)))
          (local.set $t (i32.add (local.get $t) (local.get $tile)))
          (br_if $tiles (i32.lt_u (local.get $t) (local.get $tEnd))))
        ;; Lane 0 holds the first nearest of the even centres, lane 1 of the odd ones: the
        ;; odd one wins if strictly nearer, or as near with a smaller index.
        (local.set $f0 (f64x2.extract_lane 0 (local.get $m0)))
        (local.set $f1 (f64x2.extract_lane 1 (local.get $m0)))
        (local.set $g0 (i32.wrap_i64 (i64x2.extract_lane 0 (local.get $b0))))
        (local.set $g1 (i32.wrap_i64 (i64x2.extract_lane 1 (local.get $b0))))
        (local.set $bx (select (local.get $g1) (local.get $g0)
          (i32.or (f64.lt (local.get $f1) (local.get $f0))
            (i32.and (f64.eq (local.get $f1) (local.get $f0)) (i32.lt_u (local.get $g1) (local.get $g0))))))
        (local.set $f0 (f64x2.extract_lane 0 (local.get $m1)))
        (local.set $f1 (f64x2.extract_lane 1 (local.get $m1)))
        (local.set $g0 (i32.wrap_i64 (i64x2.extract_lane 0 (local.get $b1))))
        (local.set $g1 (i32.wrap_i64 (i64x2.extract_lane 1 (local.get $b1))))
        (local.set $by (select (local.get $g1) (local.get $g0)
          (i32.or (f64.lt (local.get $f1) (local.get $f0))
            (i32.and (f64.eq (local.get $f1) (local.get $f0)) (i32.lt_u (local.get $g1) (local.get $g0))))))
        (local.set $q (i32.add (local.get $L) (i32.shl (local.get $i) (i32.const 2))))
        (local.set $changed (i32.add (local.get $changed) (i32.ne (i32.load (local.get $q)) (local.get $bx))))
        (i32.store (local.get $q) (local.get $bx))
        (local.set $o (i32.add (local.get $acc) (i32.mul (local.get $bx) (local.get $block))))
        (local.set $p (local.get $row))
        (loop $pairs
          (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (v128.load (local.get $p))))
          (local.set $o (i32.add (local.get $o) (i32.const 16)))
          (local.set $p (i32.add (local.get $p) (i32.const 32)))
          (br_if $pairs (i32.lt_u (local.get $p) (local.get $rowEnd))))
        ;; the count follows the sums
        (f64.store (local.get $o) (f64.add (f64.load (local.get $o)) (f64.const 1)))
        (if (local.get $two)
          (then
            (local.set $changed (i32.add (local.get $changed) (i32.ne (i32.load offset=4 (local.get $q)) (local.get $by))))
            (i32.store offset=4 (local.get $q) (local.get $by))
            (local.set $o (i32.add (i32.add (local.get $acc) (local.get $lane)) (i32.mul (local.get $by) (local.get $block))))
            (local.set $p (i32.add (local.get $row) (i32.const 16)))
            (loop $pairs
              (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (v128.load (local.get $p))))
              (local.set $o (i32.add (local.get $o) (i32.const 16)))
              (local.set $p (i32.add (local.get $p) (i32.const 32)))
              (br_if $pairs (i32.lt_u (local.get $p) (local.get $rowEnd))))
            ;; the count follows the sums
            (f64.store (local.get $o) (f64.add (f64.load (local.get $o)) (f64.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $rows)))
    (local.get $changed))
)
